package dev.pool.boot.slices.datajdbc;

import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

@Table("slice_note")
public record Note(@Id Long id, String text) {
}
