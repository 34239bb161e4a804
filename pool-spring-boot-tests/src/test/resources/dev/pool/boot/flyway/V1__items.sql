create table flyway_item (id int primary key, created_by text not null default current_user);
insert into flyway_item (id) values (1);
