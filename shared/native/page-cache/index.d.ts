/** posix_fadvise(fd, offset, length, POSIX_FADV_DONTNEED) on the thread pool; resolves to 0 or an errno. */
export function drop(fd: number, offset: number, length: number): Promise<number>;
/** Whether this system has posix_fadvise. */
export function supported(): boolean;
