/**
 * The disk spool's machinery; not API. One class per job, as in Vector's disk buffer:
 *
 * <pre>
 *  DiskSpool        the index (seq -&gt; segment, offset, keyframe, collected at), the byte and age
 *                   caps, the sync policy; implements CollectionSpool
 *  SegmentFile      one segment: header, framing + CRC-32C, the one record reader (open-time scan
 *                   and decoding both use it), the torn-tail scan
 *  SpoolRecovery    what an open finds: the acks log read, every segment scanned, damage counted,
 *                   unusable entries moved aside alone
 *  AcksLog          the removed sequence numbers, appended per removal, compacted by rewriting
 *  SpoolDirectory   the directory: its lock, moving unusable entries aside, retry pacing
 *  SpoolFileSystem  the seam every file operation goes through (tests fail or crash it)
 *  CollectionCodec  a collection as one record's payload (delta + varint, keyframes)
 * </pre>
 *
 * <h2>On-disk layout</h2>
 *
 * <pre>
 * DIR/LOCK              empty; an OS file lock held while a process has the spool open
 * DIR/seg-SEQ.log       SEQ = the first record's sequence number, 20 digits
 *                         "MSBSPOOL" u32 version(1) u32 0
 *                         then records: u32 length, u32 crc32c(payload), payload
 *                         payload = varint seq, byte kind (0 keyframe | 1 delta), ... (CollectionCodec)
 * DIR/acks              "MSBACKS\0" u32 version(1) u32 0
 *                         then 20-byte records: i64 from_seq, i64 to_seq, u32 crc32c(from, to)
 * DIR/acks.tmp          the next acks while it is being rewritten (renamed over acks)
 * DIR/*.unreadable-MS   an entry moved aside at MS (epoch ms) because it could not be used
 * </pre>
 *
 * All integers big-endian; varints are unsigned LEB128, signed values zigzag first.
 *
 * <h2>Invariants</h2>
 *
 * <ul>
 *   <li>Sequence numbers grow by one per appended collection and are never reused while a record or
 *       an acknowledgement of them can exist: at open the next one is above every number in a
 *       segment and in the acks log.
 *   <li>Only the process holding {@code LOCK} reads or writes the directory.
 *   <li>A segment is appended to only by the process that created it, only at its end; after an
 *       open, new records always go to a new segment. So a torn write can only be the last record
 *       of a segment.
 *   <li>A record counts as appended only once it is whole in its segment; a failed write is cut off
 *       again, and the encoder's state moves on only after a successful write.
 *   <li>An entry is live until it is removed (delivered, refused for good) or dropped by a cap;
 *       each of these appends its sequence number to the acks log before anything else forgets it.
 *       A segment is deleted once none of its entries is live.
 *   <li>The byte cap drops whole segments, oldest first (never the one being written); the age cap
 *       drops entries one by one, oldest first. Every drop is counted once.
 *   <li>The acks log is only ever replaced whole, by a forced temporary file renamed over it.
 *   <li>Every record is a keyframe, decodable alone: damage loses only the records it touches; the
 *       scan at open resynchronises on the next valid frame, and each collection lost is counted.
 *   <li>An entry of the directory that cannot be used (bad magic, another format version, not a
 *       regular file, cannot be opened) is moved aside alone with an ERROR naming both paths, and
 *       every readable segment is delivered; the spool never refuses to start over its contents.
 *   <li>Nothing in the directory is opened or moved through a symbolic link; the temporary acks
 *       file is created exclusively.
 * </ul>
 *
 * <h2>Durability</h2>
 *
 * A process crash loses nothing appended (the OS holds written data). A power loss loses what was
 * not forced: the records appended since the last sync ({@link
 * io.microsandbox.metrics.collector.spool.SpoolSettings#syncInterval()}, forced at the first append
 * at least that long after the previous sync, or every append), and the removals since the last
 * sync (the acks log is forced with the segment; those collections may be delivered again). The
 * model test {@code DiskSpoolModelTest} checks these promises against random histories.
 */
@NullMarked
package io.microsandbox.metrics.spool.internal;

import org.jspecify.annotations.NullMarked;
