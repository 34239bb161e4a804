package dev.pool.boot.excluded;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;

@Entity
public class Customer {

    @Id
    private Long id;

    protected Customer() {
    }
}
