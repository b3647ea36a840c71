/**
 * Plan review: what an iteration will do, in five views — the actions per step, the diff of
 * every file (secrets masked), the networks, the network map (who is on which network now and
 * after it: joined +, left -) and preflight warnings. Nothing runs until the operator presses Enter.
 *
 *   Review iteration 1: network-foundation · mode live · 31 actions · 1 files
 *    Actions  Diffs  Networks  Map  Warnings   1-20/35
 *   Create networks (1)
 *     create network dmz-net (172.20.0.0/24)
 *   Multi-home services (30)
 *     connect sonarr to download-net as sonarr
 *   Enter start  ·  ←/→ view  ·  ↑/↓ PgUp/PgDn scroll  ·  q back
 */
import {Box, Text} from 'ink';
import {useScreenInput} from './input.js';
import {useState} from 'react';
import {renderMapText} from '../plan/map-render.js';
import type {Review} from '../session.js';
import {KeyHints} from './KeyHints.js';
import {clampOffset, ScrollText} from './ScrollText.js';
import {fit, glyphs, tone, wrap} from './theme.js';

const sections = ['Actions', 'Diffs', 'Networks', 'Map', 'Warnings'] as const;

export function reviewLines(review: Review, section: (typeof sections)[number], width = 80): string[] {
	switch (section) {
		case 'Actions': {
			const lines: string[] = [];
			for (const step of review.steps) {
				if (step.described.length === 0) continue;
				lines.push(`${step.title} (${step.described.length})`);
				for (const line of step.described) lines.push(`  ${line}`);
			}
			if (review.checks.length > 0) {
				lines.push(`Connectivity checks (${review.checks.length})`);
				for (const check of review.checks)
					lines.push(
						`  ${check.from} ${glyphs().arrow} ${check.to}${check.via ? ` via ${check.via}` : ''} (expect ${check.expect})`,
					);
			}
			return lines.length > 0 ? lines : ['Nothing to do: the stack already matches this iteration.'];
		}
		case 'Diffs':
			return review.diffs.length > 0
				? review.diffs.flatMap((file) => [...file.diff.trimEnd().split('\n'), ''])
				: ['No file changes.'];
		case 'Networks':
			return [
				`${fit('network', 16)}${fit('subnet', 18)}${fit('internal', 10)}state`,
				...review.networks.map(
					(network) =>
						`${fit(network.name, 16)}${fit(network.subnet, 18)}${fit(network.internal ? 'yes' : 'no', 10)}${network.exists ? 'exists (reused)' : 'to create'}`,
				),
			];
		case 'Map':
			// The heading is the screen's own; the map's first line would repeat it.
			return renderMapText(review.map, width).slice(1);
		case 'Warnings':
			// Wrapped, not cut at the edge: a warning is read to the end.
			return [...review.warnings, ...review.notes.map((note) => `note: ${note}`)]
				.flatMap((line) => wrap(line, width, '  '))
				.concat(review.warnings.length + review.notes.length === 0 ? ['No warnings: preflight found nothing in the way.'] : []);
	}
}

export function ReviewScreen({
	review,
	width,
	height,
	onConfirm,
	onBack,
}: {
	review: Review;
	width: number;
	height: number;
	onConfirm: () => void;
	onBack: () => void;
}) {
	const [section, setSection] = useState(0);
	const [offset, setOffset] = useState(0);
	const name = sections[section] as (typeof sections)[number];
	const lines = reviewLines(review, name, width);
	// One line spare: a frame as tall as the terminal makes Ink clear the screen on every update.
	const body = Math.max(3, height - 4);
	const scroll = (delta: number) => setOffset((current) => clampOffset(current + delta, lines.length, body));
	const switchTo = (next: number) => {
		setSection((next + sections.length) % sections.length);
		setOffset(0);
	};
	useScreenInput((input, key) => {
		if (key.return) onConfirm();
		else if (key.escape || input === 'q') onBack();
		else if (key.tab || key.rightArrow) switchTo(section + 1);
		else if (key.leftArrow) switchTo(section - 1);
		else if (key.downArrow || input === 'j') scroll(1);
		else if (key.upArrow || input === 'k') scroll(-1);
		else if (key.pageDown || input === ' ') scroll(body);
		else if (key.pageUp) scroll(-body);
	});
	const count = review.steps.reduce((total, step) => total + step.described.length, 0);
	return (
		<Box flexDirection="column">
			<Text wrap="truncate-end">
				<Text bold>{`Review iteration ${review.index + 1}: ${review.name}`}</Text>
				<Text
					color={tone('muted')}
				>{` ${glyphs().dot} mode ${review.mode} ${glyphs().dot} ${count} actions ${glyphs().dot} ${review.diffs.length} files`}</Text>
			</Text>
			<Text>
				{sections.map((label, index) => (
					<Text
						key={label}
						inverse={index === section}
						color={label === 'Warnings' && review.warnings.length > 0 ? tone('warn') : undefined}
					>
						{` ${label}${label === 'Warnings' && review.warnings.length > 0 ? ` (${review.warnings.length})` : ''} `}
					</Text>
				))}
				<Text
					color={tone('muted')}
				>{`  ${lines.length > body ? `${offset + 1}-${Math.min(offset + body, lines.length)}/${lines.length}` : ''}`}</Text>
			</Text>
			<ScrollText lines={lines} offset={offset} height={body} width={width} diff={name === 'Diffs'} />
			<KeyHints
				hints={[
					['Enter', 'start'],
					[glyphs().leftRight, 'view'],
					[`${glyphs().upDown} PgUp/PgDn`, 'scroll'],
					['q', 'back'],
				]}
			/>
		</Box>
	);
}
