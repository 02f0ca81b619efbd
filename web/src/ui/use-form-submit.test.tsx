import { act, renderHook, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/api-client.ts';
import { useFormSubmit } from './use-form-submit.ts';

describe('useFormSubmit', () => {
  it('is submitting until the action settles, then shows what onSuccess returned', async () => {
    let finish: ((value: string) => void) | null = null;
    const { result } = renderHook(() => useFormSubmit(() => new Promise<string>((r) => (finish = r)), { onSuccess: (name) => `Saved ${name}.` }));

    act(() => result.current.submit());
    expect(result.current.isSubmitting).toBe(true);
    await waitFor(() => expect(finish).not.toBeNull());
    await act(async () => finish?.('ines'));

    expect(result.current.isSubmitting).toBe(false);
    expect(result.current.success).toBe('Saved ines.');
    expect(result.current.error).toBeNull();
  });

  it("gives the server's message and Mastodon's field errors of a 422", async () => {
    const refusal = new ApiError(422, 'Validation failed', { username: ['is already taken'] });
    const { result } = renderHook(() => useFormSubmit(() => Promise.reject(refusal)));

    act(() => result.current.submit());
    await waitFor(() => expect(result.current.error).toBe(refusal));
    expect(result.current.fieldErrors).toEqual({ username: ['is already taken'] });
    expect(result.current.isSubmitting).toBe(false);
  });

  it('shows a check the action throws before any request like an answer, and clears it on the next submit', async () => {
    let valid = false;
    const { result } = renderHook(() =>
      useFormSubmit(async () => {
        if (!valid) throw new Error('The two passwords do not match.');
        return 'ok';
      }),
    );

    act(() => result.current.submit());
    await waitFor(() => expect((result.current.error as Error | null)?.message).toBe('The two passwords do not match.'));
    valid = true;
    act(() => result.current.submit());
    expect(result.current.error).toBeNull();
    await waitFor(() => expect(result.current.isSubmitting).toBe(false));
    expect(result.current.error).toBeNull();
  });

  it('leaves a failure that onError handled out of the message', async () => {
    let handled: unknown = null;
    const gone = new ApiError(404, 'Not found');
    const { result } = renderHook(() =>
      useFormSubmit(() => Promise.reject(gone), {
        onError: (err) => {
          handled = err;
          return true;
        },
      }),
    );

    act(() => result.current.submit());
    await waitFor(() => expect(handled).toBe(gone));
    expect(result.current.error).toBeNull();
  });

  it('sends once on a double submit', async () => {
    let calls = 0;
    const { result } = renderHook(() => useFormSubmit(async () => void calls++));

    act(() => {
      result.current.submit();
      result.current.submit();
    });
    await waitFor(() => expect(result.current.isSubmitting).toBe(false));
    expect(calls).toBe(1);
  });
});
