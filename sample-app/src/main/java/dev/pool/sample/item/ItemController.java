package dev.pool.sample.item;

import java.net.URI;
import java.util.List;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

@RestController
@RequestMapping("/items")
class ItemController {

    private static final int MAX_LIMIT = 1000;

    private final ItemService items;

    ItemController(ItemService items) {
        this.items = items;
    }

    /** The newest items first; the load generator writes thousands, so the list is bounded. */
    @GetMapping
    List<Item> list(@RequestParam(defaultValue = "100") int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "limit must be between 1 and " + MAX_LIMIT);
        }
        return items.newest(limit);
    }

    @GetMapping("/{id}")
    Item get(@PathVariable long id) {
        return items.find(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No item " + id));
    }

    @PostMapping
    ResponseEntity<Item> create(@RequestBody NewItem item) {
        if (item.name() == null || item.name().isBlank()) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "name must not be blank");
        }
        if (item.quantity() < 0) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "quantity must be 0 or more");
        }
        Item created = items.create(item);
        return ResponseEntity.created(URI.create("/items/" + created.id())).body(created);
    }

    /** The unique name is checked by the database, inside the transaction that then rolls back. */
    @ExceptionHandler(DuplicateKeyException.class)
    ProblemDetail duplicateName(DuplicateKeyException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, "An item with this name exists already");
    }
}
