/** malloc_trim(0): true when memory went back to the system (always false off glibc). */
export function trim(): boolean;
/** Whether this C library has malloc_trim. */
export function supported(): boolean;
