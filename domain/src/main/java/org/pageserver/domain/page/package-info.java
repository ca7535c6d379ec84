/** The page model: relations, the key space, pages, patches and the values keys hold at each LSN. */
package org.pageserver.domain.page;
