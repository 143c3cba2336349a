package dev.jipc.sync.collection;

import static dev.jipc.sync.collection.CollectionDescriptor.BLOCK_HEADER_LENGTH;
import static dev.jipc.sync.collection.CollectionDescriptor.DATA_LIST_WORD_OFFSET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.jipc.core.ChildJvm;
import dev.jipc.core.ChildProcesses;
import dev.jipc.core.Handles;
import dev.jipc.core.SegmentDirectory;
import dev.jipc.core.codec.Codecs;
import dev.jipc.core.test.ChildLogs;
import dev.jipc.core.test.Names;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A writer JVM halted (holding the lock) at each step of an insert in the middle of a list, the operation that
 * rewrites the index array not in use: the next writer finds the list as it was before, or with the element
 * inserted, and the audit finds every byte of the heap live or free.
 */
class SharedListCrashTest
{
    private static final long CHILD_SECONDS = 120;

    private final String name = Names.unique("list-crash");
    private final Path directory = SegmentDirectory.defaultDirectory();

    @AfterEach
    void removeFiles() throws IOException
    {
        CollectionTestFiles.removeStartingWith(directory, name);
    }

    @Test
    void shouldFinishOrUndoAnInsertWhoseWriterDiedAtEachStep() throws Exception
    {
        for (int step = 1; step <= HaltingInserter.STEPS; step++)
        {
            try (SharedList<String> list = SharedList.create(name + "-" + step, Codecs.strings());
                ChildProcesses children = ChildLogs.group())
            {
                final List<String> before = new ArrayList<>();
                for (int i = 0; i < 10; i++)
                {
                    list.add("e" + i);
                    before.add("e" + i);
                }
                list.remove("e4");
                before.remove("e4");
                final ChildProcesses.Child writer = children.start(ChildJvm.of(HaltingInserter.class)
                    .args(Handles.encode(list), step));
                assertEquals(0, ChildProcesses.awaitExit(writer, CHILD_SECONDS, TimeUnit.SECONDS), writer.output());
                final List<String> expected = new ArrayList<>(before);
                if (step >= HaltingInserter.PUBLISHED_FROM_STEP)
                {
                    expected.add(5, "inserted");
                }
                assertEquals(expected, list, "step " + step + ": readers see what was published");

                list.add("after");
                expected.add("after");
                assertEquals(expected, list, "step " + step);
                assertTrue(list.store().writeLock().ownerDeaths() >= 1);
                assertEquals(List.of(), CollectionAudit.audit(list), "step " + step);
                list.unlink();
            }
        }
    }

    /**
     * Inserts "inserted" at index 5 the way {@link SharedList#add(int, Object)} does and halts after step
     * {@code args[1]}: 1 the intent is recorded, 2 the block is allocated, 3 written, 4 the other index array is
     * written, 5 the intent names the new list word, 6 the list word is published, 7 the write is complete.
     */
    static final class HaltingInserter
    {
        static final int STEPS = 7;
        static final int PUBLISHED_FROM_STEP = 6;

        public static void main(final String[] args)
        {
            @SuppressWarnings("unchecked")
            final SharedList<String> list = (SharedList<String>)Handles.decode(args[0]);
            final int stop = Integer.parseInt(args[1]);
            final ExpandableArrayBuffer value = new ExpandableArrayBuffer();
            final int length = Codecs.strings().encode("inserted", value, 0);
            final CollectionStore store = list.store();
            store.lock();
            final Generation generation = store.enter();
            final AtomicBuffer buffer = generation.buffer();
            final BlockHeap heap = generation.heap();
            final long word = buffer.getLongVolatile(DATA_LIST_WORD_OFFSET);
            final int size = (int)(word & 0x7FFF_FFFFL);
            final int from = (word & (1L << 31)) != 0 ? 1 : 0;
            final int to = 1 - from;
            final int index = 5;
            final int sizeClass = CollectionDescriptor.sizeClass(BLOCK_HEADER_LENGTH + length);
            store.intent().beginMutation(generation, heap, DATA_LIST_WORD_OFFSET, sizeClass, 0, 0, 0, 0);
            haltAt(1, stop);
            final int block = heap.allocate(sizeClass);
            haltAt(2, stop);
            heap.write(block, 0, value, 0, value, length);
            haltAt(3, stop);
            for (int i = 0; i < size; i++)
            {
                buffer.putLong(SharedList.indexOffset(generation, to, i < index ? i : i + 1),
                    buffer.getLong(SharedList.indexOffset(generation, from, i)));
            }
            buffer.putLong(SharedList.indexOffset(generation, to, index), block);
            haltAt(4, stop);
            final long next = SharedList.listWord((word >>> 32) + 1, to, size + 1);
            store.intent().ready(next);
            haltAt(5, stop);
            buffer.putLongRelease(DATA_LIST_WORD_OFFSET, next);
            haltAt(6, stop);
            store.intent().complete(generation, heap);
            haltAt(7, stop);
            Runtime.getRuntime().halt(2);
        }

        private static void haltAt(final int step, final int stop)
        {
            if (step == stop)
            {
                Runtime.getRuntime().halt(0);
            }
        }
    }
}
