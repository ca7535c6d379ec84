package org.pageserver.adapters.http.archfixture;

import org.pageserver.bootstrap.config.PageserverConfiguration;

/** Deliberately wrong, for the architecture tests: an adapter reaching into the composition root. */
public class HttpClassUsingBootstrap {
    public long id(PageserverConfiguration configuration) {
        return configuration.getId();
    }
}
