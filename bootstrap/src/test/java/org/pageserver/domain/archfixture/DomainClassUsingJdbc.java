package org.pageserver.domain.archfixture;

import java.sql.Connection;

/** Deliberately wrong, for the architecture tests: a domain class that talks JDBC (JDK, but I/O). */
public class DomainClassUsingJdbc {
    public boolean closed(Connection connection) throws java.sql.SQLException {
        return connection.isClosed();
    }
}
