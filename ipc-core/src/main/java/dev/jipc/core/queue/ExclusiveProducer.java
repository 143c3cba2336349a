package dev.jipc.core.queue;

import static dev.jipc.core.queue.QueueDescriptor.PRODUCER_FENCES_OFFSET;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.jipc.core.ProcessOwner;
import dev.jipc.core.ProcessRegistry;
import dev.jipc.core.wait.AsymmetricFence;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.AtomicBuffer;

/**
 * The one producing thread of a queue created with {@link Producers#ONE}, for either engine ({@link SlotLongRing},
 * and {@link ManyToManyRing} claiming records without a compare-and-set): the owner word of producer slot 0, a
 * {@link ProcessOwner} word tagged with the producing thread's id.
 * <p>
 * A thread becomes the producer with a compare-and-set of the word from 0, from a dead process's word, or from the
 * word of a thread of this process that has ended; while the producer lives, another thread is refused with
 * {@link IllegalStateException}. The handle that took the word frees it when it closes. A put checks, with one
 * volatile load, that its thread still holds the word; what a dead predecessor left half-done is the engine's to
 * finish ({@link #acquire()} says when).
 * <p>
 * The producer's process is the light side of an {@link AsymmetricFence}: a producer never fences between its
 * publishing store and its load of the not-empty waiter count, and each waiter runs the heavy side after it has
 * registered ({@link #afterWaiterRegistered}). Where the kernel lacks the fence, or a waiter's call of it fails
 * (which sets Producer Fences in the queue's configuration), the producer fences every put.
 */
final class ExclusiveProducer
{
    /** The threads of this process that became producers, by id: tells an ended owner thread from a live one. */
    private static final Map<Integer, Thread> PRODUCING_THREADS = new ConcurrentHashMap<>();

    private final ProcessOwner owner;
    private final ProcessRegistry registry;
    private final long ownerAddress;
    private final long fencesAddress;
    private final String queueName;
    /** The producing thread this handle last made sure of, and its owner word: the put's one check. */
    private Thread thread;
    private long word;
    /** Whether the producer may skip the fence before its waiter check (its process is a light side). */
    private boolean lightSignal;
    /** The owner word this handle acquired, which its close frees; 0 if none. */
    private volatile long ownedWord;

    ExclusiveProducer(final AtomicBuffer buffer, final ProcessRegistry registry, final String queueName)
    {
        final int ownerOffset = QueueDescriptor.slotOffset(0) + QueueDescriptor.SLOT_OWNER_OFFSET;
        this.registry = registry;
        this.owner = new ProcessOwner(buffer, ownerOffset, registry);
        this.ownerAddress = buffer.addressOffset() + ownerOffset;
        this.fencesAddress = buffer.addressOffset() + PRODUCER_FENCES_OFFSET;
        this.queueName = queueName;
    }

    /**
     * The put's check: whether the calling thread is the producer this handle knows, and still holds the word.
     *
     * @return false if {@link #acquire()} must run first.
     */
    boolean isCurrent()
    {
        return Thread.currentThread() == thread && UnsafeApi.getLongVolatile(null, ownerAddress) == word;
    }

    /**
     * Makes the calling thread the producer, or finds it is already (through this or another handle).
     *
     * @throws IllegalStateException if another live thread is the producer.
     */
    void acquire()
    {
        final Thread caller = Thread.currentThread();
        final int threadId = (int)caller.threadId();
        final long callerWord = ProcessOwner.word(registry, threadId);
        while (true)
        {
            final long current = owner.owner();
            if (current == callerWord)
            {
                break; // through another handle of this thread: that handle's close frees it
            }
            if (current == ProcessOwner.FREE ? owner.tryAcquire(callerWord) :
                owner.recoverFrom(current, callerWord) || recoverFromEndedThread(current, callerWord))
            {
                ownedWord = callerWord;
                PRODUCING_THREADS.put(threadId, caller);
                break;
            }
            if (owner.owner() == current)
            {
                throw new IllegalStateException("queue has one producer, and it is another live thread: producer=" +
                    owner.describe(current) + " thread " + ProcessOwner.tag(current) + ", caller=thread " +
                    threadId + ", queue=" + queueName);
            }
        }
        lightSignal = AsymmetricFence.registerLight();
        word = callerWord;
        thread = caller;
    }

    private boolean recoverFromEndedThread(final long current, final long callerWord)
    {
        if (ProcessOwner.token(current) != registry.token())
        {
            return false;
        }
        final Thread ended = PRODUCING_THREADS.get(ProcessOwner.tag(current));
        return (ended == null || !ended.isAlive()) && owner.releaseIfOwner(current) && owner.tryAcquire(callerWord);
    }

    /**
     * Whether the producer may load the not-empty waiter count right after its publishing store, with no fence
     * between: its process is a light side and no waiter has asked for fences.
     *
     * @return false if the producer must fence first.
     */
    boolean mayCheckWaitersUnfenced()
    {
        return lightSignal && UnsafeApi.getIntVolatile(null, fencesAddress) == 0;
    }

    /** Frees the owner word if this handle took it and still holds it: for the handle's close. */
    void release()
    {
        final long owned = ownedWord;
        if (owned != 0)
        {
            owner.releaseIfOwner(owned);
        }
    }

    /**
     * The not-empty count's hook after a waiter has registered: the heavy side of the fence, or, where it fails, the
     * Producer Fences flag that makes the producer fence from its next put on.
     *
     * @param buffer the queue segment's buffer.
     */
    static void afterWaiterRegistered(final AtomicBuffer buffer)
    {
        if (!AsymmetricFence.heavy() && buffer.getIntVolatile(PRODUCER_FENCES_OFFSET) == 0)
        {
            buffer.putIntVolatile(PRODUCER_FENCES_OFFSET, 1);
        }
    }
}
