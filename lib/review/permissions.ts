/** The fold's rules, asked ahead of time so the UI offers only what will be accepted. */
import { periodStatus } from './period';
import type { Comment, ReviewState, Thread } from './state';

export function roleOf(state: ReviewState, key: string) {
  return state.members[key]?.role ?? 'none';
}
export const isChair = (state: ReviewState, key: string) => roleOf(state, key) === 'chair';
export const canComment = (state: ReviewState, key: string) => !state.meta || roleOf(state, key) !== 'none';
export const canChangeComment = (comment: Comment, key: string) => comment.author === key && !comment.deleted;
export const canResolve = isChair;
export const canReopen = (state: ReviewState, thread: Thread, key: string) =>
  thread.status === 'resolved' && (isChair(state, key) || thread.author === key);

/** Whether `key` may write a comment now: a member while the period allows it, a chair always. */
export const mayCommentNow = (state: ReviewState, key: string, now: number) =>
  canComment(state, key) && (isChair(state, key) || periodStatus(state.period, now).membersMayComment);
