/**
 * Home: the detected stack, the plan's iterations with their status, and what to do next.
 *
 *   netmigrate · project media · 10 compose files · Docker 26.1.5
 *   18/18 services running · media-network 172.18.0.0/16
 *   ! Iteration 1 (network-foundation) stopped at Multi-home services: …
 *   Iterations  1 network-foundation  failed …
 *   › Resume iteration 1: network-foundation
 */
import {Box, Text} from 'ink';
import {useState} from 'react';
import type {Overview} from '../session.js';
import {useScreenInput} from './input.js';
import {Menu} from './Menu.js';
import {TextScreen} from './TextScreen.js';
import {fit, glyphs, symbols, tone, truncate, wrap} from './theme.js';

export type HomeChoice =
	| 'start'
	| 'resume'
	| 'settle'
	| 'review'
	| 'checks'
	| 'map'
	| 'verify'
	| 'rollback'
	| 'journal'
	| 'report'
	| 'message'
	| 'quit';

/** The newest done iteration's pending settle (services a plain `up -d` would recreate at once), unless a run is unfinished. */
export function pendingSettle(overview: Overview): string[] {
	if (interruptedIteration(overview)) return [];
	const done = overview.status.iterations.filter((iteration) => iteration.status === 'done');
	return done.at(-1)?.progress?.settlePending ?? [];
}

export function homeChoices(overview: Overview, messageCut = false): Array<{label: string; value: HomeChoice}> {
	const interrupted = interruptedIteration(overview);
	const next = overview.status.iterations[overview.next];
	const applied = overview.status.iterations.some((iteration) => iteration.status !== 'pending' && iteration.status !== 'rolled-back');
	const items: Array<{label: string; value: HomeChoice}> = [];
	if (interrupted) {
		items.push({
			label:
				interrupted.status === 'rolling-back'
					? `Finish rolling back iteration ${interrupted.index + 1}`
					: `Resume iteration ${interrupted.index + 1}: ${interrupted.name}`,
			value: interrupted.status === 'rolling-back' ? 'rollback' : 'resume',
		});
		if (interrupted.status !== 'rolling-back') items.push({label: `Roll back iteration ${interrupted.index + 1}`, value: 'rollback'});
		items.push({label: 'Show the journal', value: 'journal'});
	} else if (next) {
		items.push({label: `Start iteration ${next.index + 1}: ${next.name}`, value: 'start'});
	}
	const settle = pendingSettle(overview);
	if (settle.length > 0)
		items.push({label: `Settle: recreate ${settle.length} service${settle.length === 1 ? '' : 's'} one at a time`, value: 'settle'});
	if (messageCut) items.push({label: 'Read the whole message', value: 'message'});
	items.push({label: 'Review the plan', value: 'review'});
	items.push({label: 'Run checks only', value: 'checks'});
	// Mid-run the stack is neither before nor after an iteration: resume or roll back first.
	if (!interrupted) items.push({label: 'Network map', value: 'map'}, {label: 'Verify isolation', value: 'verify'});
	if (applied && !interrupted) items.push({label: `Roll back${glyphs().ellipsis}`, value: 'rollback'});
	if (overview.lastReport) items.push({label: 'Show the last report', value: 'report'});
	items.push({label: 'Quit', value: 'quit'});
	return items;
}

export function interruptedIteration(overview: Overview) {
	return overview.status.iterations.find(
		(iteration) => iteration.status === 'running' || iteration.status === 'failed' || iteration.status === 'rolling-back',
	);
}

/** The home screen's warnings in full: the engine's error, the lock, where an interrupted run stopped. */
export function homeMessages(overview: Overview): string[] {
	const interrupted = interruptedIteration(overview);
	const {lock} = overview.status;
	return [
		'error' in overview.engine ? `${symbols.failed} ${overview.engine.error}` : '',
		lock ? `${symbols.warn} ${lockLine(lock)}` : '',
		interrupted?.progress?.error ?? '',
	].filter(Boolean);
}

export function HomeScreen({
	overview,
	width,
	height = 24,
	onChoose,
}: {
	overview: Overview;
	width: number;
	height?: number;
	onChoose: (choice: HomeChoice) => void;
}) {
	const {dot} = glyphs();
	const [reading, setReading] = useState(false);
	useScreenInput((input) => {
		if (input === 'q' && !reading) onChoose('quit');
	});
	const messages = homeMessages(overview);
	// A message longer than its line is cut (the banner's box takes 4 columns), and the menu offers it whole.
	const bannerError = interruptedIteration(overview)?.progress?.error ?? '';
	const messageCut = messages.some((message) => message.length > (message === bannerError ? width - 4 : width));
	if (reading)
		return (
			<TextScreen
				title="The whole message"
				lines={messages.flatMap((message) => [...wrap(message, width), ''])}
				width={width}
				height={height}
				onBack={() => setReading(false)}
			/>
		);
	// Below 24 rows the blank lines between the parts go first.
	const compact = height < 24;
	const choose = (choice: HomeChoice) => (choice === 'message' ? setReading(true) : onChoose(choice));
	const running = overview.services.filter((service) => service.state === 'running').length;
	const interrupted = interruptedIteration(overview);
	const engine = 'version' in overview.engine ? `Docker ${overview.engine.version}` : 'engine not answering';
	const settle = pendingSettle(overview);
	return (
		<Box flexDirection="column">
			<Text>
				<Text bold color={tone('accent')}>
					netmigrate
				</Text>
				{fit(` ${dot} ${where(overview)} ${dot} ${engine}`, Math.max(0, width - 10)).trimEnd()}
			</Text>
			<Text color={tone('muted')}>
				{fit(`${overview.root} ${dot} plan ${overview.planFile.replace(`${overview.root}/`, '')}`, width)}
			</Text>
			<Text>
				{`${running}/${overview.services.length} services running`}
				{running < overview.services.length ? (
					<Text color={tone('warn')}>
						{truncate(
							` (not running: ${overview.services
								.filter((service) => service.state !== 'running')
								.map((service) => service.name)
								.join(', ')})`,
							Math.max(0, width - 24),
						)}
					</Text>
				) : null}
			</Text>
			<Text color={tone('muted')} wrap="truncate-end">
				{fit(
					`networks: ${overview.networks.map((network) => `${network.name} ${network.subnet}${network.internal ? ' (internal)' : ''}`).join(` ${dot} `) || 'none of the planned ones yet'}`,
					width,
				)}
			</Text>
			{'error' in overview.engine ? (
				<Text color={tone('fail')}>{fit(`${symbols.failed} ${overview.engine.error}`, width)}</Text>
			) : null}
			{settle.length > 0 ? (
				<Text color={tone('warn')}>
					{fit(`${symbols.warn} settle pending: \`docker compose up -d\` would recreate ${settle.join(', ')} at once`, width)}
				</Text>
			) : null}
			{overview.status.lock ? (
				<Text color={tone('warn')}>{fit(`${symbols.warn} ${lockLine(overview.status.lock)}`, width)}</Text>
			) : null}
			{interrupted ? (
				<Box borderStyle={glyphs().border} borderColor={tone('warn')} flexDirection="column" paddingX={1}>
					<Text color={tone('warn')} bold>
						{truncate(
							`Iteration ${interrupted.index + 1} (${interrupted.name}) was interrupted${interrupted.interruptedAt ? ` at ${interrupted.interruptedAt}` : ''}`,
							width - 4,
						)}
					</Text>
					{interrupted.progress?.error ? <Text>{fit(interrupted.progress.error, width - 4)}</Text> : null}
				</Box>
			) : null}
			<Box marginTop={compact ? 0 : 1} flexDirection="column">
				<Text bold>Iterations</Text>
				{overview.status.iterations.map((iteration) => (
					<Text key={iteration.name}>
						{`  ${iteration.index + 1}. ${fit(iteration.name, 24)} `}
						<Text color={statusTone(iteration.status)}>{iteration.status}</Text>
						<Text color={tone('muted')}>
							{iteration.progress?.finishedAt && iteration.status === 'done'
								? `  ${iteration.progress.finishedAt.slice(0, 16).replace('T', ' ')}`
								: ''}
						</Text>
					</Text>
				))}
			</Box>
			<Box marginTop={compact ? 0 : 1}>
				<Menu items={homeChoices(overview, messageCut)} onSelect={choose} />
			</Box>
		</Box>
	);
}

/**
 * "locked by root (pid 4242, running apply --iteration 1 since …)", or with the holder judged gone
 * "locked by root (pid 4242, dead: the process is gone — the next run takes the lock over)".
 */
function lockLine(lock: NonNullable<Overview['status']['lock']>): string {
	if (lock.damaged) return `lock.json is damaged (${lock.damaged}) — force-unlock ${lock.id} once no run is active`;
	const who = `locked by ${lock.operator}${lock.holder === 'unknown' ? ` on ${lock.host}` : ''}`;
	if (lock.holder === 'alive') return `${who} (pid ${lock.pid}, running ${lock.command} since ${lock.since})`;
	const next = lock.holder === 'dead' ? 'the next run takes the lock over' : `force-unlock ${lock.id} once that run is gone`;
	return `${who} (pid ${lock.pid}, ${lock.holder}: ${lock.why} — ${next})`;
}

/** "project media · 11 compose files", or "swarm stack media · 3 nodes · stack.yml". */
function where({target, project, composeFiles}: Overview): string {
	const {dot} = glyphs();
	if (target.kind === 'compose') return `project ${project} ${dot} ${composeFiles.length} compose files`;
	return `swarm stack ${project}${target.nodes === undefined ? '' : ` ${dot} ${target.nodes} node${target.nodes === 1 ? '' : 's'}`} ${dot} ${composeFiles.join(', ')}`;
}

function statusTone(status: string): string | undefined {
	if (status === 'done') return tone('ok');
	if (status === 'failed' || status === 'running' || status === 'rolling-back') return tone('warn');
	return tone('muted');
}
