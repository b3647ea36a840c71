/**
 * The steps of a run, one line each:
 *
 *   ✔ Create networks          6/6    0.7 s  6 applied
 *   ⠋ Multi-home services     12/39   1.1 s
 *   ○ Connectivity checks
 */
import {Box, Text} from 'ink';
import {tickMs, useNow} from './run-clock.js';
import type {StepView} from './run-state.js';
import {fit, formatMs, glyphs, symbols, tone} from './theme.js';

export function StepList({steps, width}: {steps: StepView[]; width: number}) {
	return (
		<Box flexDirection="column">
			{steps.map((step) => (
				<StepLine key={step.name} step={step} width={width} />
			))}
		</Box>
	);
}

function StepLine({step, width}: {step: StepView; width: number}) {
	const counter = step.total > 0 ? `${step.done}/${step.total}` : '';
	const detail = step.status === 'failed' ? (step.error ?? '') : (step.summary ?? '');
	const fixed = 2 + 28 + 8 + 9;
	const running = step.status === 'running' && step.startedAt !== undefined;
	return (
		<Box>
			{running ? (
				<Ticking startedAt={step.startedAt ?? 0} title={step.title} counter={counter} />
			) : (
				<>
					<Box width={2}>
						<StatusIcon status={step.status} />
					</Box>
					<Text>{fit(step.title, 27)} </Text>
					<Text>{fit(counter, 7)} </Text>
					<Text color={tone('muted')}>{fit(step.durationMs === undefined ? '' : formatMs(step.durationMs), 8)} </Text>
				</>
			)}
			<Text color={step.status === 'failed' ? tone('fail') : tone('muted')}>{fit(detail, Math.max(0, width - fixed))}</Text>
		</Box>
	);
}

const spinnerFrames = {dots: ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'], line: ['-', '\\', '|', '/']};

/**
 * The running step's spinner, title, counter and elapsed time, moved by the run's clock
 * (source/ui/run-clock.ts) — or, drawn outside a run, by a tick of its own. Either way they move
 * three times a second: more only costs bytes over SSH.
 */
function Ticking({startedAt, title, counter}: {startedAt: number; title: string; counter: string}) {
	const now = useNow();
	const frames = spinnerFrames[glyphs().spinner];
	return (
		<>
			<Box width={2}>
				<Text color={tone('accent')}>{frames[Math.floor(now / tickMs) % frames.length]}</Text>
			</Box>
			<Text bold>{fit(title, 27)} </Text>
			<Text>{fit(counter, 7)} </Text>
			<Text color={tone('muted')}>{fit(formatMs(Math.max(0, now - startedAt)), 8)} </Text>
		</>
	);
}

function StatusIcon({status}: {status: StepView['status']}) {
	switch (status) {
		case 'done':
			return <Text color={tone('ok')}>{symbols.done}</Text>;
		case 'failed':
			return <Text color={tone('fail')}>{symbols.failed}</Text>;
		case 'skipped':
			return <Text color={tone('muted')}>{symbols.skipped}</Text>;
		default:
			return <Text color={tone('muted')}>{symbols.pending}</Text>;
	}
}
