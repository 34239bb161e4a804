package dev.pool.sample.item;

import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL for {@code items} and {@code item_events}; every call borrows a connection from the pool. */
@Repository
class ItemRepository {

    private final JdbcClient jdbc;

    ItemRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    List<Item> findNewest(int limit) {
        return jdbc.sql("select id, name, quantity, created_at from items order by id desc limit :limit")
                .param("limit", limit)
                .query(Item.class)
                .list();
    }

    Optional<Item> findById(long id) {
        return jdbc.sql("select id, name, quantity, created_at from items where id = :id")
                .param("id", id)
                .query(Item.class)
                .optional();
    }

    Item insert(NewItem item) {
        return jdbc.sql("insert into items (name, quantity) values (:name, :quantity) returning id, name, quantity, created_at")
                .param("name", item.name())
                .param("quantity", item.quantity())
                .query(Item.class)
                .single();
    }

    void recordEvent(long itemId, String type) {
        jdbc.sql("insert into item_events (item_id, type) values (:itemId, :type)")
                .param("itemId", itemId)
                .param("type", type)
                .update();
    }
}
