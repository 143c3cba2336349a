/**
 * {@link dev.jipc.durable.DurableQueue}: a queue journaled on disk by Chronicle Queue, with named consumers that
 * read at least once and resume where they acknowledged, replay from an index or a time, and retention by cycle.
 */
package dev.jipc.durable;
