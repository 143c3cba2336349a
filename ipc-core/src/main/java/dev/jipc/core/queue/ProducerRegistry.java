package dev.jipc.core.queue;

import static dev.jipc.core.queue.QueueDescriptor.CLAIM_CLAIMING;
import static dev.jipc.core.queue.QueueDescriptor.CLAIM_IDLE;
import static dev.jipc.core.queue.QueueDescriptor.PRODUCER_SLOTS;
import static dev.jipc.core.queue.QueueDescriptor.SLOT_CLAIM_OFFSET;
import static dev.jipc.core.queue.QueueDescriptor.SLOT_OWNER_OFFSET;
import static dev.jipc.core.queue.QueueDescriptor.slotOffset;

import java.util.ArrayList;
import java.util.List;

import dev.jipc.core.ProcessOwner;
import dev.jipc.core.ProcessRegistry;
import dev.jipc.core.wait.ClosableMapping;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.AtomicBuffer;

/**
 * The producer registry of a {@link ManyToManyRing} handle: one slot per producing thread in the segment's registry
 * ({@link QueueDescriptor#slotOffset}), whose claim word says which record the thread has claimed and not yet
 * committed, so that a consumer can tell a dead producer's claim from a slow live one (see the ring's Overview, Dead
 * producers).
 * <p>
 * Slots are taken by compare-and-set on the owner word (0 -> this process's {@link ProcessOwner} word, tag 0) and,
 * when every slot is held, reclaimed from this handle's threads that have ended and from dead processes. A thread's
 * slot is found through a thread-local, with the last producer seen cached in a plain field: the common case of one
 * producing thread per handle skips the thread-local lookup.
 * <p>
 * A queue of {@link Producers#ONE} has one slot in use, slot 0, whose owner word is its {@link ExclusiveProducer}'s
 * (tagged with the producing thread's id): the claim word works as for any producer.
 * <p>
 * Memory ordering: owner and claim stores are releases (compare-and-set, {@code putIntRelease}) read with volatile
 * loads by {@link #isClaimerAlive}.
 */
final class ProducerRegistry
{
    private final AtomicBuffer buffer;
    private final ProcessRegistry registry;
    private final ClosableMapping mapping;
    private final String queueName;
    /** The one producer of a {@link Producers#ONE} queue, in slot 0; null if any thread may produce. */
    private final ExclusiveProducer exclusive;
    /** This process's producer slot word: one per process, since a slot's claim word says which thread is in it. */
    private final long producerWord;
    private final ThreadLocal<Producer> producers = new ThreadLocal<>();
    private final List<Producer> registered = new ArrayList<>();
    /** The producer last returned: a benign race between this handle's threads, each checks the thread it names. */
    private Producer lastProducer;

    ProducerRegistry(
        final AtomicBuffer buffer, final ProcessRegistry registry, final ClosableMapping mapping,
        final String queueName, final ExclusiveProducer exclusive)
    {
        this.buffer = buffer;
        this.registry = registry;
        this.mapping = mapping;
        this.queueName = queueName;
        this.exclusive = exclusive;
        this.producerWord = ProcessOwner.word(registry, 0);
    }

    /**
     * The calling thread's producer, registering a slot on its first put.
     *
     * @return the producer of the calling thread.
     * @throws IllegalStateException if the handle is closed, every registry slot is held by a live process, or the
     *                               queue has one producer and it is another live thread.
     */
    Producer producer()
    {
        final Producer last = lastProducer;
        if (last != null && last.thread == Thread.currentThread() && (exclusive == null || exclusive.isCurrent()))
        {
            return last;
        }
        Producer producer = producers.get();
        if (exclusive != null)
        {
            producer = becomeTheProducer(producer);
        }
        else if (producer == null)
        {
            producer = register();
        }
        producers.set(producer);
        lastProducer = producer;
        return producer;
    }

    /**
     * Takes the one producer's word (slot 0's owner) for the calling thread. A predecessor that died mid-put left its
     * claim in the slot: the claim word is set idle, so the consumers see the claim's producer is gone and unblock its
     * record (see the ring's Overview, Dead producers).
     */
    private Producer becomeTheProducer(final Producer known)
    {
        mapping.ensureOpen();
        exclusive.acquire();
        final Producer producer = known != null ? known :
            new Producer(Thread.currentThread(), slotOffset(0), buffer.addressOffset());
        UnsafeApi.putIntRelease(null, producer.claimAddress, CLAIM_IDLE);
        return producer;
    }

    /**
     * The dead-producer scan, under the consumer lock: whether a live process holds a slot whose claim is CLAIMING
     * or the record at {@code headIndex}. If none does, the record's producer is dead: a live claimer's slot would
     * show one of the two (see the ring's Overview).
     *
     * @param headIndex the index of the record at the head.
     * @return true if a live producer may still commit it.
     */
    boolean isClaimerAlive(final int headIndex)
    {
        final int headClaim = headIndex + 1;
        for (int slot = 0; slot < PRODUCER_SLOTS; slot++)
        {
            final int offset = slotOffset(slot);
            final long owner = buffer.getLongVolatile(offset + SLOT_OWNER_OFFSET);
            final int claim = buffer.getIntVolatile(offset + SLOT_CLAIM_OFFSET);
            if (owner != 0 && (claim == CLAIM_CLAIMING || claim == headClaim) &&
                registry.isAlive(ProcessOwner.token(owner)))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * Marks the handle closed and frees every slot it registered, as one step against a registration.
     *
     * @return false if the handle was closed already.
     */
    boolean close()
    {
        synchronized (registered)
        {
            if (!mapping.markClosed())
            {
                return false;
            }
            if (exclusive != null)
            {
                exclusive.release();
            }
            for (final Producer producer : registered)
            {
                UnsafeApi.putIntRelease(null, producer.claimAddress, CLAIM_IDLE);
                buffer.compareAndSetLong(producer.slotOffset + SLOT_OWNER_OFFSET, producerWord, 0);
            }
            registered.clear();
            return true;
        }
    }

    private Producer register()
    {
        mapping.ensureOpen();
        for (int pass = 0; pass < 2; pass++)
        {
            if (pass == 1)
            {
                reclaimSlotsOfEndedThreads();
            }
            for (int slot = 0; slot < PRODUCER_SLOTS; slot++)
            {
                final int offset = slotOffset(slot);
                final long owner = buffer.getLongVolatile(offset + SLOT_OWNER_OFFSET);
                final boolean free = owner == 0 || (pass == 1 && !registry.isAlive(ProcessOwner.token(owner)));
                // a dead owner's claim stays visible under this live word until the store of IDLE: a consumer
                // then waits a moment longer for the head, never unblocks wrongly
                if (free && buffer.compareAndSetLong(offset + SLOT_OWNER_OFFSET, owner, producerWord))
                {
                    buffer.putIntRelease(offset + SLOT_CLAIM_OFFSET, CLAIM_IDLE);
                    final Producer producer = new Producer(Thread.currentThread(), offset, buffer.addressOffset());
                    synchronized (registered)
                    {
                        registered.add(producer);
                    }
                    return producer;
                }
            }
        }
        throw new IllegalStateException("producer registry full: slots=" + PRODUCER_SLOTS +
            ", every slot is held by a live producing thread; queue=" + queueName);
    }

    /**
     * Frees the slots of this handle's producing threads that have ended, so that a process whose threads come and
     * go (a thread per task, virtual threads) does not fill the registry. A slot is freed only while its claim is
     * idle: an ended thread cannot hold a claim, but a slot is never freed from under one.
     */
    private void reclaimSlotsOfEndedThreads()
    {
        synchronized (registered)
        {
            registered.removeIf(producer ->
                !producer.thread.isAlive() &&
                UnsafeApi.getIntVolatile(null, producer.claimAddress) == CLAIM_IDLE &&
                buffer.compareAndSetLong(producer.slotOffset + SLOT_OWNER_OFFSET, producerWord, 0));
        }
    }

    /** A producing thread's registry slot; the ring's claim, commit and abort write its claim word. */
    static final class Producer
    {
        final Thread thread;
        final int slotOffset;
        /** The claim word's address: a put writes it three times, without the per-access bounds check. */
        final long claimAddress;
        /** Whether the last claim saw a not-empty waiter, so its commit must wake the consumers. */
        boolean wakeConsumers;

        private Producer(final Thread thread, final int slotOffset, final long segmentAddress)
        {
            this.thread = thread;
            this.slotOffset = slotOffset;
            this.claimAddress = segmentAddress + slotOffset + SLOT_CLAIM_OFFSET;
        }
    }
}
