package org.pageserver.domain.archfixture;

import org.pageserver.application.archfixture.ApplicationClassUsingAdapter;

/** Deliberately wrong, for the architecture tests: a domain class that reaches into the application layer. */
public class DomainClassUsingApplication {
    public Object use() {
        return new ApplicationClassUsingAdapter();
    }
}
