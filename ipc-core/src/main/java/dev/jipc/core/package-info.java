/**
 * The flat base every family of shared structures uses, as Agrona keeps {@code org.agrona.concurrent} beside
 * {@code ringbuffer}, {@code broadcast} and {@code status}: named segments (a file in {@code /dev/shm} with a common
 * header, {@link dev.jipc.core.Segment}, {@link dev.jipc.core.SegmentDescriptor}, {@link dev.jipc.core.SegmentKind},
 * {@link dev.jipc.core.SegmentDirectory}, {@link dev.jipc.core.SegmentInfo}, {@link dev.jipc.core.SegmentStat},
 * {@link dev.jipc.core.SegmentFormatException}), raw {@link dev.jipc.core.SharedMemory}, process identity and
 * ownership ({@link dev.jipc.core.ProcessIdentity}, {@link dev.jipc.core.ProcessRegistry},
 * {@link dev.jipc.core.ProcessOwner}, {@link dev.jipc.core.AttachLock}, {@link dev.jipc.core.OpenFileLocks},
 * {@link dev.jipc.core.FileStatus}), the JVM flags jipc needs ({@link dev.jipc.core.JvmFlags}), child JVMs (one
 * started by a {@link dev.jipc.core.ChildJvm}, a group of them awaited and killed by
 * {@link dev.jipc.core.ChildProcesses}, jipc objects passed to them as {@link dev.jipc.core.Handles}), and what
 * queues and pipes share of Agrona's ring: its layout, room and largest message ({@link dev.jipc.core.RingView}) and
 * its fault ({@link dev.jipc.core.CorruptRingException}).
 * <p>
 * Families live in sub-packages and depend on this one, never the other way: {@code wait} (futex, event counts,
 * wait strategies, closing while waiting), {@code codec} (codecs and the codec header a segment stores), {@code queue}
 * (the many-to-many ring and the queues on it) and {@code pipe} (pipes and their connections). Where the base needs
 * a family's help it asks through a small interface found with {@link java.util.ServiceLoader}: a
 * {@link dev.jipc.core.SegmentStat} per segment kind for {@code jipc stat}, and the
 * {@link dev.jipc.core.FirstMappingTask}s started when the process maps its first segment (the futex link-up of
 * {@code wait}).
 *
 * <h2>Memory ordering</h2>
 * Accessors name their ordering, as in Agrona's {@code AtomicBuffer}: {@code putLongRelease} / {@code putIntRelease}
 * are release stores, {@code getLongVolatile} / {@code getIntVolatile} volatile (at least acquire) loads,
 * {@code compareAndSetLong} and {@code getAndSetLong} full fences; plain {@code putLong} / {@code getLong} carry no
 * ordering and are used only for fields that are written before publication and never change. The pairs in this
 * package:
 * <ul>
 *     <li>a segment's header and configuration are plain stores, published by the release store of the magic and
 *     then the link of the file under its name; an attacher can only open the file after both;</li>
 *     <li>a {@link dev.jipc.core.ProcessOwner} word is taken by one compare-and-set and given back by a release
 *     store (or an exchange), handed over by a volatile store; every reader of it uses a volatile load;</li>
 *     <li>a {@link dev.jipc.core.ProcessRegistry} entry is written with {@code putLongRelease} and read with
 *     {@code getLongVolatile}.</li>
 * </ul>
 * A {@link dev.jipc.core.SharedMemory} block has no protocol of its own: its users choose their accessors.
 */
package dev.jipc.core;
