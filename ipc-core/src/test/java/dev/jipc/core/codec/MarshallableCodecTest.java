package dev.jipc.core.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Serializable;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import dev.jipc.core.Handles;
import dev.jipc.core.SegmentFormatException;
import dev.jipc.core.pipe.Connection;
import dev.jipc.core.pipe.Pipe;
import dev.jipc.core.queue.Queue;
import dev.jipc.core.test.Names;
import net.openhft.chronicle.bytes.BytesIn;
import net.openhft.chronicle.bytes.BytesMarshallable;
import net.openhft.chronicle.bytes.BytesOut;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** {@link Codecs#marshallable(Class)}: Chronicle Bytes records through queues and pipes, and what it refuses. */
class MarshallableCodecTest
{
    private static final int CAPACITY = 1 << 12;

    @Test
    void shouldCarryABytesMarshallableThroughAQueueFieldByField() throws Exception
    {
        final String name = Names.unique("marshallable");
        try (Queue<Trade> queue = Queue.create(name, CAPACITY, Codecs.marshallable(Trade.class)))
        {
            try
            {
                // ten times the ring's capacity, so records wrap around its end and pad
                for (int i = 0; i < 2_000; i++)
                {
                    final Trade sent = Trade.of(i);
                    assertTrue(queue.offer(sent), "room for trade " + i);
                    assertEquals(sent, queue.peek());
                    assertEquals(sent, queue.poll(10, TimeUnit.SECONDS));
                }
                final Trade edge = new Trade();
                edge.id = Long.MIN_VALUE;
                edge.quantity = Integer.MAX_VALUE;
                edge.price = Double.NaN;
                edge.buy = true;
                edge.symbol = "";
                queue.put(edge);
                final Trade nullSymbol = Trade.of(7);
                nullSymbol.symbol = null;
                queue.put(nullSymbol);
                queue.put(Trade.of(8));
                final List<Trade> drained = new ArrayList<>();
                assertEquals(3, queue.drainTo(drained));
                assertEquals(List.of(edge, nullSymbol, Trade.of(8)), drained);
                assertNull(queue.poll());
            }
            finally
            {
                queue.unlink();
            }
        }
    }

    @Test
    void shouldCarryAMarshallableMadeByAFactoryThroughAPipe() throws Exception
    {
        final Codec<Quote> codec = Codecs.marshallable(Quote.class, (Supplier<Quote> & Serializable)Quote::new);
        try (Pipe<Quote> pipe = Pipe.create(true, codec))
        {
            try
            {
                pipe.first().send(new Quote(3, 99.5, -1));
                final Quote received = pipe.second().recv();
                assertEquals(3, received.instrument);
                assertEquals(99.5, received.bid);
                assertEquals(-1, received.size);
            }
            finally
            {
                pipe.unlink();
            }
        }
    }

    @Test
    void shouldRefuseToOpenAQueueOfOneClassWithACodecForAnotherNamingBoth()
    {
        final String name = Names.unique("marshallable-mismatch");
        final Codec<Trade> trades = Codecs.marshallable(Trade.class);
        final Codec<Quote> quotes = Codecs.marshallable(Quote.class);
        assertEquals(trades.typeId(), quotes.typeId());
        assertTrue(trades.name().startsWith("chronicle-bytes:Trade#"), trades.name());
        assertTrue(quotes.name().startsWith("chronicle-bytes:Quote#"), quotes.name());
        try (Queue<Trade> queue = Queue.create(name, CAPACITY, trades))
        {
            try
            {
                final SegmentFormatException ex =
                    assertThrows(SegmentFormatException.class, () -> Queue.open(name, quotes));
                assertTrue(ex.getMessage().contains("codec mismatch"), ex.getMessage());
                assertTrue(ex.getMessage().contains(trades.name()), ex.getMessage());
                assertTrue(ex.getMessage().contains(quotes.name()), ex.getMessage());
                assertThrows(SegmentFormatException.class, () -> Queue.open(name, Codecs.strings()));
                try (Queue<Trade> same = Queue.open(name, Codecs.marshallable(Trade.class)))
                {
                    assertEquals(CAPACITY, same.capacity());
                }
            }
            finally
            {
                queue.unlink();
            }
        }
        try (Pipe<Trade> pipe = Pipe.create(true, trades))
        {
            try
            {
                final SegmentFormatException ex = assertThrows(SegmentFormatException.class,
                    () -> Connection.open(pipe.name(), 1, quotes));
                assertTrue(ex.getMessage().contains(trades.name()) && ex.getMessage().contains(quotes.name()),
                    ex.getMessage());
            }
            finally
            {
                pipe.unlink();
            }
        }
    }

    @Test
    void shouldTellClassesOfTheSameSimpleNameApartAndFitTheStoredNameLimit()
    {
        final String own = MarshallableCodec.nameOf(Trade.class);
        final String other = MarshallableCodec.nameOf(OtherPackageLike.Trade.class);
        assertNotEquals(own, other);
        final String longest = MarshallableCodec.nameOf(AVeryLongBytesMarshallableClassNameIndeed.class);
        assertTrue(longest.length() <= StoredCodec.MAX_NAME_LENGTH, longest);
        assertEquals(longest, Codecs.marshallable(AVeryLongBytesMarshallableClassNameIndeed.class).name());
    }

    @Test
    void shouldThrowIllegalArgumentExceptionForTruncatedOrOverlongRecords()
    {
        final Codec<Trade> codec = Codecs.marshallable(Trade.class);
        final ExpandableArrayBuffer heap = new ExpandableArrayBuffer(16);
        final int length = codec.encode(Trade.of(5), heap, 3);
        final UnsafeBuffer direct = new UnsafeBuffer(ByteBuffer.allocateDirect(256));
        direct.putBytes(10, heap, 3, length);
        for (final DirectBuffer buffer : List.of(heap, direct))
        {
            final int offset = buffer == heap ? 3 : 10;
            assertEquals(Trade.of(5), codec.decode(buffer, offset, length));
            final IllegalArgumentException truncated =
                assertThrows(IllegalArgumentException.class, () -> codec.decode(buffer, offset, length - 3));
            assertTrue(truncated.getMessage().contains("invalid record for codec " + codec.name()),
                truncated.getMessage());
            assertTrue(truncated.getMessage().contains("length=" + (length - 3)), truncated.getMessage());
            final IllegalArgumentException empty =
                assertThrows(IllegalArgumentException.class, () -> codec.decode(buffer, offset, 0));
            assertTrue(empty.getMessage().contains("length=0"), empty.getMessage());
            final IllegalArgumentException trailing =
                assertThrows(IllegalArgumentException.class, () -> codec.decode(buffer, offset, length + 1));
            assertTrue(trailing.getMessage().contains("left 1 bytes"), trailing.getMessage());
        }
        final IllegalArgumentException outside =
            assertThrows(IllegalArgumentException.class, () -> codec.decode(direct, 250, 100));
        assertTrue(outside.getMessage().contains("bufferCapacity=256"), outside.getMessage());
    }

    @Test
    void shouldRefuseAStringLengthThatPointsPastTheRecordWithoutAllocatingIt()
    {
        final Codec<Trade> codec = Codecs.marshallable(Trade.class);
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(64);
        final int length = codec.encode(Trade.of(1), buffer, 0);
        // the fields are id(8) quantity(4) price(8) buy(1), then the symbol's stop-bit length: make it ~2^34
        final int symbolOffset = 8 + 4 + 8 + 1;
        buffer.putByte(symbolOffset, (byte)0xFF);
        buffer.putByte(symbolOffset + 1, (byte)0xFF);
        buffer.putByte(symbolOffset + 2, (byte)0xFF);
        buffer.putByte(symbolOffset + 3, (byte)0xFF);
        buffer.putByte(symbolOffset + 4, (byte)0x7F);
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> codec.decode(buffer, 0, length));
        assertTrue(ex.getMessage().contains("invalid record for codec " + codec.name()), ex.getMessage());
    }

    @Test
    void shouldThrowIllegalArgumentExceptionFromTakeForACorruptRecordAndCarryOn() throws Exception
    {
        final String name = Names.unique("marshallable-corrupt");
        final Codec<Trade> codec = Codecs.marshallable(Trade.class);
        // a codec that writes raw bytes under the marshallable codec's identity: a hostile or broken producer
        final Codec<byte[]> raw = RawRecords.under(codec);
        try (Queue<byte[]> writer = Queue.create(name, CAPACITY, raw);
            Queue<Trade> reader = Queue.open(name, codec))
        {
            try
            {
                final ExpandableArrayBuffer valid = new ExpandableArrayBuffer(64);
                final int length = codec.encode(Trade.of(9), valid, 0);
                final byte[] truncated = new byte[length - 5];
                valid.getBytes(0, truncated);
                writer.put(truncated);
                writer.put(new byte[] {1, 2, 3});
                final byte[] whole = new byte[length];
                valid.getBytes(0, whole);
                writer.put(whole);
                final IllegalArgumentException first =
                    assertThrows(IllegalArgumentException.class, () -> reader.poll(10, TimeUnit.SECONDS));
                assertTrue(first.getMessage().contains("length=" + (length - 5)), first.getMessage());
                final IllegalArgumentException second =
                    assertThrows(IllegalArgumentException.class, () -> reader.poll(10, TimeUnit.SECONDS));
                assertTrue(second.getMessage().contains("length=3"), second.getMessage());
                assertEquals(Trade.of(9), reader.poll(10, TimeUnit.SECONDS), "a bad record is consumed, not stuck");
            }
            finally
            {
                writer.unlink();
            }
        }
    }

    @Test
    void shouldRefuseClassesItCannotInstantiateAndFactoriesThatCannotTravel()
    {
        final IllegalArgumentException noConstructor = assertThrows(IllegalArgumentException.class,
            () -> Codecs.marshallable(NoDefaultConstructor.class));
        assertTrue(noConstructor.getMessage().contains(NoDefaultConstructor.class.getName()),
            noConstructor.getMessage());
        final Supplier<Quote> lambda = Quote::new;
        final IllegalArgumentException notSerializable = assertThrows(IllegalArgumentException.class,
            () -> Codecs.marshallable(Quote.class, lambda));
        assertTrue(notSerializable.getMessage().contains("Serializable"), notSerializable.getMessage());
    }

    @Test
    void shouldSurviveSerialisationAndSetTheAnalyticsSwitch() throws Exception
    {
        final Codec<Trade> codec = Codecs.marshallable(Trade.class);
        assertEquals("true", System.getProperty("chronicle.analytics.disable"));
        assertThrows(ClassNotFoundException.class, () -> Class.forName("net.openhft.chronicle.analytics.Analytics"),
            "chronicle-analytics must stay out of the dependencies");
        @SuppressWarnings("unchecked")
        final Codec<Trade> copy = (Codec<Trade>)Handles.decode(
            Handles.encode(codec));
        assertEquals(codec.name(), copy.name());
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(16);
        final int length = codec.encode(Trade.of(4), buffer, 0);
        assertEquals(Trade.of(4), copy.decode(buffer, 0, length));
    }

    @Test
    void shouldAllocateOnlyTheDecodedElementPerRoundTrip()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final Codec<Quote> codec = Codecs.marshallable(Quote.class);
        final MutableDirectBuffer scratch = new ExpandableArrayBuffer(64);
        final UnsafeBuffer ring = new UnsafeBuffer(ByteBuffer.allocateDirect(64));
        final Quote quote = new Quote(1, 2.5, 3);
        long sum = 0;
        for (int i = 0; i < 200_000; i++)
        {
            sum += roundTrip(codec, quote, scratch, ring);
        }
        final int rounds = 100_000;
        final long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < rounds; i++)
        {
            sum += roundTrip(codec, quote, scratch, ring);
        }
        final long perRound = (threads.getCurrentThreadAllocatedBytes() - before) / rounds;
        assertTrue(perRound <= 48, "allocated " + perRound + " bytes per round trip; a Quote is 32");
        assertTrue(sum > 0);
    }

    private static long roundTrip(final Codec<Quote> codec, final Quote quote, final MutableDirectBuffer scratch,
        final UnsafeBuffer ring)
    {
        quote.size++;
        final int length = codec.encode(quote, scratch, 0);
        ring.putBytes(0, scratch, 0, length);
        return codec.decode(ring, 0, length).size;
    }

    /** Uses Chronicle's default, reflective marshalling (needs {@code --add-opens java.base/java.lang.reflect}). */
    public static final class Trade implements BytesMarshallable
    {
        long id;
        int quantity;
        double price;
        boolean buy;
        String symbol;

        static Trade of(final int i)
        {
            final Trade trade = new Trade();
            trade.id = 1_000_000_007L * i;
            trade.quantity = -i;
            trade.price = i / 8.0;
            trade.buy = (i & 1) == 0;
            trade.symbol = "SYM-" + i + (i % 3 == 0 ? "-\u00e9\u20ac" : "");
            return trade;
        }

        @Override
        public boolean equals(final Object other)
        {
            return other instanceof Trade t && id == t.id && quantity == t.quantity &&
                Double.compare(price, t.price) == 0 && buy == t.buy && java.util.Objects.equals(symbol, t.symbol);
        }

        @Override
        public int hashCode()
        {
            return Long.hashCode(id);
        }

        @Override
        public String toString()
        {
            return "Trade{" + id + ", " + quantity + ", " + price + ", " + buy + ", " + symbol + "}";
        }
    }

    /** Writes and reads its fields itself. */
    public static final class Quote implements BytesMarshallable
    {
        int instrument;
        double bid;
        long size;

        /** The codec decodes through {@code getConstructor()}, which finds public constructors only. */
        @SuppressWarnings("checkstyle:RedundantModifier")
        public Quote()
        {
        }

        Quote(final int instrument, final double bid, final long size)
        {
            this.instrument = instrument;
            this.bid = bid;
            this.size = size;
        }

        @Override
        public void writeMarshallable(final BytesOut<?> bytes)
        {
            bytes.writeInt(instrument).writeDouble(bid).writeLong(size);
        }

        @Override
        public void readMarshallable(final BytesIn<?> bytes)
        {
            instrument = bytes.readInt();
            bid = bytes.readDouble();
            size = bytes.readLong();
        }
    }

    /** A second class called Trade, as if from another package. */
    public static final class OtherPackageLike
    {
        /** Same simple name as {@link MarshallableCodecTest.Trade}. */
        public static final class Trade implements BytesMarshallable
        {
            int value;
        }
    }

    /** A simple name longer than the codec name has room for. */
    public static final class AVeryLongBytesMarshallableClassNameIndeed implements BytesMarshallable
    {
        int value;
    }

    /** Cannot be made without arguments. */
    public static final class NoDefaultConstructor implements BytesMarshallable
    {
        final int value;

        NoDefaultConstructor(final int value)
        {
            this.value = value;
        }
    }
}
