import { declaredCataloguer } from '../../_shared/declared.ts';
import { lazyModule } from '../../cataloguer.ts';

const parsers = lazyModule(() => import('./parse-go-mod.ts'));

/** go.mod (+ go.sum beside it for go < 1.17): the module's required modules. Folder sources only. */
export const goMod = declaredCataloguer({
  id: 'go-mod',
  version: 1,
  ecosystem: 'golang',
  matches: (_path, name) => name === 'go.mod',
  parser: parsers,
  parse: async (p, text, input) => p.parseGoMod(text, await input.sibling('go.sum')),
});
