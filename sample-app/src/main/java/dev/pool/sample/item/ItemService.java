package dev.pool.sample.item;

import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
class ItemService {

    private final ItemRepository items;

    ItemService(ItemRepository items) {
        this.items = items;
    }

    @Transactional(readOnly = true)
    List<Item> newest(int limit) {
        return items.findNewest(limit);
    }

    @Transactional(readOnly = true)
    Optional<Item> find(long id) {
        return items.findById(id);
    }

    /** The item and its {@code created} event commit together, on one pooled connection, or not at all. */
    @Transactional
    Item create(NewItem item) {
        Item created = items.insert(item);
        items.recordEvent(created.id(), "created");
        return created;
    }
}
