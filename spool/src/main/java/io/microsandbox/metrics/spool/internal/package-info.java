/**
 * The disk spool's machinery; not API.
 *
 * <pre>
 *  append: SnapshotCollection --CollectionCodec.Encoder (delta vs previous, varints)-->
 *          [u32 len][u32 crc32c][payload] --> current segment --> fsync per the sync policy
 *  read:   index (seq -> segment, offset, keyframe) --> CollectionCodec.Decoder from the keyframe
 *  remove: acks log; a segment with nothing live is deleted
 * </pre>
 */
package io.microsandbox.metrics.spool.internal;
