package org.pageserver.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The markdown table a bench prints at its end (and docs/benchmarks.md keeps): each column as wide
 * as its widest cell, so the table reads as well in a terminal as on a page.
 */
final class Table {
    private final String[] header;
    private final List<String[]> rows = new ArrayList<>();

    Table(String... header) {
        this.header = header;
    }

    /** A row; cells beyond the header's columns are not allowed, missing ones are empty. */
    void add(String... cells) {
        if (cells.length > header.length) {
            throw new IllegalArgumentException(cells.length + " cells for " + header.length + " columns");
        }
        String[] row = new String[header.length];
        for (int i = 0; i < row.length; i++) {
            row[i] = i < cells.length && cells[i] != null ? cells[i] : "";
        }
        rows.add(row);
    }

    /** Prints it to standard output, after an empty line. */
    void print() {
        int[] widths = new int[header.length];
        for (int i = 0; i < header.length; i++) {
            widths[i] = header[i].length();
            for (String[] row : rows) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder(System.lineSeparator());
        line(out, header, widths);
        for (int width : widths) {
            out.append('|').append("-".repeat(width + 2));
        }
        out.append('|').append(System.lineSeparator());
        for (String[] row : rows) {
            line(out, row, widths);
        }
        System.out.print(out);
    }

    private static void line(StringBuilder out, String[] cells, int[] widths) {
        for (int i = 0; i < cells.length; i++) {
            out.append("| ").append(cells[i]).append(" ".repeat(widths[i] - cells[i].length() + 1));
        }
        out.append('|').append(System.lineSeparator());
    }
}
