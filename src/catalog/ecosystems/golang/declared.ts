import { declaredCataloguer } from '../../_shared/declared.ts';
import { parseGoMod } from './parse-go-mod.ts';

/** go.mod (+ go.sum beside it for go < 1.17): the module's required modules. Folder sources only. */
export const goMod = declaredCataloguer({
  id: 'go-mod',
  version: 1,
  ecosystem: 'golang',
  matches: (_path, name) => name === 'go.mod',
  parse: async (text, input) => parseGoMod(text, await input.sibling('go.sum')),
});
