package org.pageserver.domain.archfixture;

import io.micronaut.core.annotation.NonNull;

/** Deliberately wrong, for the architecture tests: a domain class that uses a framework annotation. */
public class DomainClassUsingMicronaut {
    @NonNull
    public String name() {
        return "wrong";
    }
}
