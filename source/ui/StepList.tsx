/**
 * The steps of a run, one line each:
 *
 *   ✔ Create networks          6/6    0.7 s  6 applied
 *   ⠋ Multi-home services     12/39   1.1 s
 *   ○ Connectivity checks
 */
import {Box, Text} from 'ink';
import Spinner from 'ink-spinner';
import type {StepView} from './run-state.js';
import {fit, formatMs, glyphs, symbols, tone} from './theme.js';

export function StepList({steps, now, width}: {steps: StepView[]; now: number; width: number}) {
	return (
		<Box flexDirection="column">
			{steps.map((step) => (
				<StepLine key={step.name} step={step} now={now} width={width} />
			))}
		</Box>
	);
}

function StepLine({step, now, width}: {step: StepView; now: number; width: number}) {
	const elapsed = step.status === 'running' && step.startedAt ? now - step.startedAt : step.durationMs;
	const counter = step.total > 0 ? `${step.done}/${step.total}` : '';
	const detail = step.status === 'failed' ? (step.error ?? '') : (step.summary ?? '');
	const fixed = 2 + 28 + 8 + 9;
	return (
		<Box>
			<Box width={2}>{step.status === 'running' ? <Text color={tone('accent')}><Spinner type={glyphs().spinner} /></Text> : <StatusIcon status={step.status} />}</Box>
			<Text bold={step.status === 'running'}>{fit(step.title, 27)} </Text>
			<Text>{fit(counter, 7)} </Text>
			<Text color={tone('muted')}>{fit(elapsed === undefined ? '' : formatMs(elapsed), 8)} </Text>
			<Text color={step.status === 'failed' ? tone('fail') : tone('muted')}>{fit(detail, Math.max(0, width - fixed))}</Text>
		</Box>
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
