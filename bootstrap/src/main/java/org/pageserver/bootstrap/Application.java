package org.pageserver.bootstrap;

import io.micronaut.runtime.Micronaut;

/** Starts the pageserver: the Micronaut context wires the adapters to the use cases. */
public final class Application {
    private Application() {
    }

    public static void main(String[] args) {
        Micronaut.run(Application.class, args);
    }
}
