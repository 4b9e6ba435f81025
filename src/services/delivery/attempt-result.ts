/** What one HTTP attempt produced, before it is judged. */
export type AttemptResult =
  | { readonly kind: 'response'; readonly status: number; readonly retryAfter: string | undefined }
  | { readonly kind: 'error'; readonly code: string; readonly message: string }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'deadline' };

/** How an attempt counts: delivered, worth retrying, final for this invocation, or a rejected token. */
export type Verdict =
  | { readonly outcome: 'delivered' }
  | { readonly outcome: 'transient'; readonly reason: string; readonly retryAfterMs: number | undefined }
  | { readonly outcome: 'final'; readonly reason: string }
  /** 401: final, unless a renewed token is worth one more attempt. */
  | { readonly outcome: 'unauthorized'; readonly reason: string }
  | { readonly outcome: 'deadline'; readonly reason: string };
