/** A fresh MD5 context (a Buffer the other functions take). */
export function newState(): Buffer;
/** Appends data[i] to states[i], for every i; a state may appear only once. */
export function update(states: readonly Buffer[], data: readonly Uint8Array[]): void;
/** The MD5 of everything appended; the state is spent. */
export function digest(state: Buffer): Buffer;
/** How many bodies one core hashes side by side: 16 with AVX-512 or AVX2, else 1. */
export function lanes(): number;
/** What update() runs: "avx512", "avx2" or "openssl". */
export function kernel(): string;
/** Makes update() run another kernel this CPU has; false (nothing changed) if it has not. */
export function useKernel(name: string): boolean;
