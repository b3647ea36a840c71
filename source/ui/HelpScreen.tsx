/**
 * `?`: the keys of the screen underneath, drawn over it; Esc, q or ? closes it.
 *
 *   Keys on the home screen
 *     Up/Down, j/k   move
 *     Enter          choose
 */
import {Box, Text, useInput} from 'ink';
import {KeyHints} from './KeyHints.js';
import {fit, glyphs, tone} from './theme.js';

export type HelpTopic = 'home' | 'review' | 'run' | 'gate' | 'failure' | 'page' | 'result' | 'error' | 'loading';

export function helpFor(topic: HelpTopic): {title: string; keys: Array<[string, string]>} {
	const {upDown, leftRight} = glyphs();
	const always: Array<[string, string]> = [
		['?', 'this help'],
		['Ctrl-C', 'quit (during a run: stop after the current action)'],
	];
	switch (topic) {
		case 'home':
			return {
				title: 'the home screen',
				keys: [[`${upDown}, j/k`, 'move'], ['Enter', 'choose'], ['1-9', 'choose by number'], ['q', 'quit'], ...always],
			};
		case 'review':
			return {
				title: 'the review',
				keys: [
					['Enter', 'start the iteration'],
					[`${leftRight}, Tab`, 'actions, diffs, networks, map, warnings'],
					[`${upDown}, j/k`, 'scroll a line'],
					['PgUp/PgDn, Space', 'scroll a page'],
					['q, Esc', 'back home'],
					...always,
				],
			};
		case 'run':
			return {
				title: 'a run',
				keys: [
					['Ctrl-C', 'stop after the current action (state saved)'],
					['Ctrl-C twice', 'quit now (the journal keeps it safe)'],
					['?', 'this help'],
				],
			};
		case 'gate':
			return {
				title: 'the gate before a step',
				keys: [
					['Enter, y', 'go ahead with the step'],
					['s', 'show or hide its actions'],
					['q, Esc', 'stop here (state saved)'],
					...always,
				],
			};
		case 'failure':
			return {
				title: 'a failed step',
				keys: [[`${upDown}, j/k`, 'move'], ['Enter', 'retry, roll back, quit, or read the whole message'], ...always],
			};
		case 'page':
			return {
				title: 'this page',
				keys: [[`${upDown}, j/k`, 'scroll a line'], ['PgUp/PgDn, Space', 'scroll a page'], ['q, Esc', 'back'], ...always],
			};
		case 'result':
			return {title: 'this screen', keys: [['Enter, q, Esc', 'back home'], ...always]};
		case 'error':
			return {title: 'the error', keys: [['Enter, Esc', 'back home'], ['q', 'quit'], ...always]};
		case 'loading':
			return {title: 'this screen', keys: always};
	}
}

export function HelpScreen({topic, width, onClose}: {topic: HelpTopic; width: number; onClose: () => void}) {
	useInput((input, key) => {
		if (key.escape || input === 'q' || input === '?' || key.return) onClose();
	});
	const {title, keys} = helpFor(topic);
	const column = Math.min(22, Math.max(...keys.map(([name]) => name.length)) + 2);
	return (
		<Box flexDirection="column" borderStyle={glyphs().border} borderColor={tone('accent')} paddingX={1} width={Math.min(width, 78)}>
			<Text bold>{`Keys on ${title}`}</Text>
			{keys.map(([name, action]) => (
				<Text key={name}>
					<Text color={tone('accent')}>{fit(name, column)}</Text>
					{fit(action, Math.max(0, Math.min(width, 78) - 4 - column)).trimEnd()}
				</Text>
			))}
			<KeyHints hints={[['Esc/q/?', 'close']]} width={Math.min(width, 78) - 4} />
		</Box>
	);
}
