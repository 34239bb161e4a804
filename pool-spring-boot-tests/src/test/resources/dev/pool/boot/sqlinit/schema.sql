create table sql_init_owned.init_item (id int primary key, created_by text not null default current_user);
insert into sql_init_owned.init_item (id) values (1);
