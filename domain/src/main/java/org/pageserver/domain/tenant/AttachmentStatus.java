package org.pageserver.domain.tenant;

/**
 * The control plane's view of an attachment: {@code maybe} (this node might already write the
 * tenant's remote state: do not attach it elsewhere), {@code attached}, or {@code failed} with a reason.
 */
public record AttachmentStatus(String slug, String failureReason) {
    public static final AttachmentStatus MAYBE = new AttachmentStatus("maybe", null);
    public static final AttachmentStatus ATTACHED = new AttachmentStatus("attached", null);

    public static AttachmentStatus failed(String reason) {
        return new AttachmentStatus("failed", reason);
    }
}
