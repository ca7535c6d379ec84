package org.pageserver.domain.page;

/** The answer to one {@link SmgrRequest}: the value asked for, or an error that ends only this request. */
public sealed interface SmgrAnswer {
    record Exists(boolean exists) implements SmgrAnswer {
    }

    record Nblocks(long nblocks) implements SmgrAnswer {
    }

    /** An 8192-byte page. */
    record Page(byte[] page) implements SmgrAnswer {
        public Page {
            if (page.length != org.pageserver.domain.page.Page.SIZE) {
                throw new IllegalArgumentException("a page is " + org.pageserver.domain.page.Page.SIZE + " bytes, not "
                        + page.length);
            }
        }
    }

    record DbSize(long bytes) implements SmgrAnswer {
    }

    record Error(String message) implements SmgrAnswer {
    }
}
