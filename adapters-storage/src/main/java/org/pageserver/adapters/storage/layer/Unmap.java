package org.pageserver.adapters.storage.layer;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;

/**
 * Unmaps a mapped file now rather than when the garbage collector finds its buffer unreachable:
 * a layer file that eviction or GC deletes must give its disk space back at once, and a node with
 * thousands of layers must not keep the mappings of closed ones. Java 17 has no public call for it;
 * {@code sun.misc.Unsafe.invokeCleaner} (module jdk.unsupported, there for libraries such as this)
 * does it. Looked up once by reflection; where the JVM lacks it, layer files are not mapped.
 *
 * <p>The buffer, and every slice of it, must not be touched after: the memory is gone, and a read
 * of it would crash the JVM. {@link ReadableFile} makes sure no read is inside when it unmaps.
 */
final class Unmap {
    private static final MethodHandle INVOKE_CLEANER = lookUp();

    private Unmap() {
    }

    static boolean available() {
        return INVOKE_CLEANER != null;
    }

    static void unmap(MappedByteBuffer buffer) {
        try {
            INVOKE_CLEANER.invokeExact((ByteBuffer) buffer);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("unmapping a layer file", e);
        }
    }

    private static MethodHandle lookUp() {
        try {
            Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
            Field theUnsafe = unsafeClass.getDeclaredField("theUnsafe");
            theUnsafe.setAccessible(true);
            return MethodHandles.lookup()
                    .findVirtual(unsafeClass, "invokeCleaner", MethodType.methodType(void.class, ByteBuffer.class))
                    .bindTo(theUnsafe.get(null));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
