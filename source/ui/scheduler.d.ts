/** The two entries of React's scheduler (a dependency of Ink's reconciler) that KeyStream uses. */
declare module 'scheduler' {
	export const unstable_IdlePriority: number;
	export function unstable_scheduleCallback(priority: number, callback: () => void): unknown;
}
