/**
 * What a rollback will do, before it does it: the inverse actions newest first, preceded by
 * every file changed since the apply that the rollback would have to merge; Enter rolls back,
 * q goes home. The actions arrive described (the screen imports no action code).
 *
 *   Roll back iteration 1 (network-foundation): 41 inverse actions  (1-21/42)
 *   ! traefik/docker-compose.yml line 23 changed since the apply
 *   disconnect traefik from dmz-net
 *   remove network dmz-net (172.20.0.0/24)
 *   Enter roll back  ·  ↑/↓ PgUp/PgDn scroll  ·  q back
 */
import type {RollbackPreview} from '../run.js';
import {TextScreen} from './TextScreen.js';
import {symbols} from './theme.js';

export function RollbackPreviewScreen({
	preview,
	actions,
	width,
	height,
	onConfirm,
	onBack,
}: {
	preview: RollbackPreview;
	actions: string[];
	width: number;
	height: number;
	onConfirm: () => void;
	onBack: () => void;
}) {
	if (preview.nothingToDo)
		return (
			<TextScreen
				title="Roll back"
				lines={['Nothing to roll back: no iteration has changed the stack.']}
				width={width}
				height={height}
				onBack={onBack}
			/>
		);
	const conflicts = preview.drift.filter((note) => note.outcome === 'conflict').map((note) => `${symbols.warn} ${note.message}`);
	return (
		<TextScreen
			title={`Roll back iteration ${preview.index + 1} (${preview.iteration}): ${preview.actions.length} inverse actions`}
			lines={[...conflicts, ...actions]}
			width={width}
			height={height}
			confirmLabel="roll back"
			onConfirm={onConfirm}
			onBack={onBack}
		/>
	);
}
