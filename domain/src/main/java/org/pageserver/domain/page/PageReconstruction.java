package org.pageserver.domain.page;

import java.util.List;

/**
 * Builds a page from its versions: the newest image at or below the read LSN (or zeros where
 * there is none), with every delta after it applied in LSN order.
 */
public final class PageReconstruction {
    private PageReconstruction() {
    }

    /**
     * @param newestFirst the block's versions at or below the read LSN, newest first, ending at the
     *                    first image (or wherever the block's history starts); only page values
     */
    public static byte[] reconstruct(List<Value> newestFirst) {
        int base = newestFirst.size() - 1;
        byte[] page;
        if (base >= 0 && newestFirst.get(base) instanceof Value.PageImage image) {
            page = image.page().clone();
            base--;
        } else {
            page = Page.zero();
        }
        for (int i = base; i >= 0; i--) {
            Value value = newestFirst.get(i);
            if (value instanceof Value.PageDelta delta) {
                for (Patch patch : delta.patches()) {
                    patch.applyTo(page);
                }
            } else if (value instanceof Value.PageImage image) {
                System.arraycopy(image.page(), 0, page, 0, Page.SIZE);
            } else {
                throw new IllegalArgumentException("not a page value: " + value);
            }
        }
        return page;
    }
}
