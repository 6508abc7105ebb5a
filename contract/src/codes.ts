/** Invitation codes as people type them: 8 symbols from an alphabet without look-alikes (no 0/O, 1/I). */
export const CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
export const CODE_LENGTH = 8;
export const CODE_PATTERN = /^[A-HJ-NP-Z2-9]{8}$/;

/** Forgiving of case, spaces and dashes, as a person types it. */
export const normalizeCode = (input: string) => input.replace(/[\s-]/g, "").toUpperCase();
