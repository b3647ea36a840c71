/**
 * The wizard started where there is no plan: the stacks on this host netmigrate has run in
 * (the operator's settings remember them), newest first, to pick one from; q quits.
 *
 *   netmigrate · no netmigrate.yml in /home/ops
 *   Stacks netmigrate has run in on this host:
 *
 *   ❯ /srv/media        last run 2026-12-07 12:00
 *     /srv/monitoring   last run 2026-12-01 09:30
 *     Quit
 */
import path from 'node:path';
import {Box, Text} from 'ink';
import type {KnownStack} from './core-api.js';
import {useScreenInput} from './input.js';
import {Menu} from './Menu.js';
import {fit, glyphs, tone} from './theme.js';

export function StacksScreen({
	planFile,
	stacks,
	width,
	onPick,
	onQuit,
}: {
	planFile: string;
	stacks: KnownStack[];
	width: number;
	onPick: (plan: string) => void;
	onQuit: () => void;
}) {
	useScreenInput((input) => {
		if (input === 'q') onQuit();
	});
	const rootWidth = Math.min(40, Math.max(...stacks.map((stack) => stack.root.length)));
	const label = (stack: KnownStack) =>
		fit(
			`${fit(stack.root, rootWidth).padEnd(rootWidth)}  last run ${stack.lastRun.slice(0, 16).replace('T', ' ')}${path.basename(stack.plan) === 'netmigrate.yml' ? '' : `  (${path.basename(stack.plan)})`}`,
			width - 2,
		);
	const items = [...stacks.map((stack) => ({label: label(stack), value: stack.plan})), {label: 'Quit', value: ''}];
	return (
		<Box flexDirection="column">
			<Text>
				<Text bold color={tone('accent')}>
					netmigrate
				</Text>
				{fit(` ${glyphs().dot} no ${path.basename(planFile)} in ${path.dirname(planFile)}`, Math.max(0, width - 10)).trimEnd()}
			</Text>
			<Text>Stacks netmigrate has run in on this host:</Text>
			<Box marginTop={1}>
				<Menu items={items} onSelect={(plan) => (plan ? onPick(plan) : onQuit())} />
			</Box>
		</Box>
	);
}
