/**
 * Line output for terminals without the wizard, pipes and CI logs; `--json` prints each
 * event as one JSON line instead. Nothing here knows Docker: it renders RunEvents.
 */
import type {Emit, RunEvent} from '../events.js';

export function linePrinter(write: (line: string) => void): Emit {
	return (event: RunEvent) => {
		const line = formatEvent(event);
		if (line !== undefined) write(line);
	};
}

export function jsonPrinter(write: (line: string) => void): Emit {
	return (event) => write(JSON.stringify(event));
}

export function formatEvent(event: RunEvent): string | undefined {
	switch (event.type) {
		case 'run-start':
			return `${{apply: '▶ Applying', rollback: '◀ Rolling back', settle: '▶ Settling after'}[event.run]} iteration ${event.index + 1}: ${event.iteration}${event.mode ? ` (mode ${event.mode})` : ''}${event.resumed ? ' — resuming where it stopped' : ''}`;
		case 'step-start':
			return `• ${event.title}${event.total > 0 ? ` (${event.total})` : ''}`;
		case 'step-skip':
			return `• ${event.title}: skipped (${event.reason})`;
		case 'action-start':
			return undefined;
		case 'action-done':
			return `    ${event.already ? '=' : '✔'} ${event.description}${event.already ? ' (already done)' : ` ${event.durationMs} ms`}`;
		case 'action-failed':
			return `    ✖ ${event.description}: ${event.error}`;
		case 'step-done':
			return `  ✔ ${event.title}: ${event.summary} (${formatDuration(event.durationMs)})`;
		case 'step-failed':
			return `  ✖ ${event.title} failed: ${event.error}${event.hint ? `\n    fix: ${event.hint}` : ''}`;
		case 'log':
			return `  ${event.level === 'warn' ? '! ' : ''}${event.message}`;
		case 'wait-start':
		case 'wait-done':
			// A wait is said by the log line before it and ends in its action's line; these feed the wizard's bar (and --json).
			return undefined;
		case 'check': {
			const result = event.result;
			return `    ${result.ok ? '✔' : '✖'} ${result.from} → ${result.to}${result.via ? ` via ${result.via}` : ''}: ${result.outcome} (expected ${result.expect})${result.latencyMs === undefined ? '' : `, ${result.latencyMs} ms`}${result.node ? `, from a probe task on node ${result.node.slice(0, 12)}` : ''}${result.ok ? '' : ` — ${result.detail}`}`;
		}
		case 'run-done':
			return `${{apply: '✔ Iteration', rollback: '✔ Rollback of', settle: '✔ Settling after'}[event.run]} ${event.iteration} done in ${formatDuration(event.durationMs)}: ${event.summary}${event.report ? `\n  report: ${event.report}` : ''}`;
		case 'run-stopped':
			return `■ Stopped: ${event.message}`;
	}
}

export function formatDuration(ms: number): string {
	return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}
