create table replica_item (id serial primary key, name text not null);
insert into replica_item (name) values ('migrated');
