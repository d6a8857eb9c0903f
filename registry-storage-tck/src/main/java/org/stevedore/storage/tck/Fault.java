package org.stevedore.storage.tck;

/** The kinds of storage failure a {@link FaultyDriver} injects. */
public enum Fault {
    /** The call fails with a plain {@link java.io.IOException}, before reaching the storage. */
    IO_ERROR,
    /** The call fails with {@link org.stevedore.storage.StorageUnavailableException}: a transient outage. */
    UNAVAILABLE,
    /** A write fails with "No space left on device", as a full disk reports it. */
    DISK_FULL,
    /** An appended buffer is written only in part, then the write fails. */
    SHORT_WRITE,
    /** Opened content fails part-way through reading. */
    BROKEN_READ,
    /** A change (write, move, delete, commit) reaches the storage, but the call fails afterwards. */
    LOST_REPLY,
    /** The call is delayed, then proceeds normally. */
    SLOW
}
