/**
 * Applying `file.write` (source/kinds/file-write.ts): a file that already has the new contents is
 * done; one changed by someone else since the step was planned is refused, so netmigrate never
 * writes over the operator's edit. Owner and mode are kept.
 */
import {readFileState, writeFileAtomic} from '../engine/files.js';
import {NetmigrateError, wayOn} from '../errors.js';
import type {Applier} from './applier.js';
import type {FileWrite} from './file-write.js';

export const applyFileWrite: Applier<FileWrite> = {
	apply: async (action, {run}) => {
		const current = readFileState(action.path);
		if (current?.sha256 === action.sha256After) return false;
		if (current && current.sha256 !== action.sha256Before) {
			throw new NetmigrateError(`${action.path} was changed outside netmigrate since this step was planned`, {
				where: {file: action.path},
				hint:
					run === 'rollback'
						? `put the file back as netmigrate wrote it, ${wayOn(run)}`
						: 'roll back this iteration (the backup is intact), or put the file back as it was and resume',
			});
		}
		writeFileAtomic(action.path, action.content, {mode: action.mode, ...(current ? {uid: current.uid, gid: current.gid} : {})});
		return true;
	},
};
