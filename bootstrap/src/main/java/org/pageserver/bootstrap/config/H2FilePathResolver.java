package org.pageserver.bootstrap.config;

import io.micronaut.configuration.jdbc.hikari.DatasourceConfiguration;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;
import java.nio.file.Path;

/**
 * Makes the embedded H2 database's file path absolute before the pool opens it. H2 refuses a path
 * that is implicitly relative to the working directory, and the default work directory
 * ({@code .pageserver}) and any relative {@code PAGESERVER_WORKDIR} are exactly that.
 */
@Singleton
class H2FilePathResolver implements BeanCreatedEventListener<DatasourceConfiguration> {
    static final String PREFIX = "jdbc:h2:file:";

    @Override
    public DatasourceConfiguration onCreated(BeanCreatedEvent<DatasourceConfiguration> event) {
        DatasourceConfiguration configuration = event.getBean();
        String url = configuration.getUrl();
        if (url != null && url.startsWith(PREFIX)) {
            configuration.setUrl(absolute(url));
        }
        return configuration;
    }

    static String absolute(String url) {
        String rest = url.substring(PREFIX.length());
        int options = rest.indexOf(';');
        String file = options < 0 ? rest : rest.substring(0, options);
        String tail = options < 0 ? "" : rest.substring(options);
        if (file.startsWith("~")) {
            return url;
        }
        return PREFIX + Path.of(file).toAbsolutePath().normalize() + tail;
    }
}
