import { AppError } from '../core/errors.ts';
import { byCodePoint } from '../core/order.ts';
import type { EntryBody, NamedProbe } from './layer/read-layer.ts';
import type { ProbeResults, ProbeSpec } from './probe.ts';
import type { LayerEntry } from './layer/layer-entry.ts';
import type { FileEntry, FileType } from './types.ts';

/** Where a regular file's bytes can be read again: the layer (index) and the tar entry's ordinal. */
export interface ContentRef {
  readonly layer: number;
  readonly ordinal: number;
}

/** What the squash keeps about a regular file's contents. */
export interface ContentSlot {
  readonly sha256: string;
  readonly size: number;
  readonly content?: Buffer;
  /** What the probes kept of the file's bytes, by probe name. */
  readonly probes?: ProbeResults;
  readonly ref: ContentRef;
}

interface Node {
  type: FileType;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtime: number;
  layer: number;
  linkTarget?: string;
  slot?: ContentSlot;
  children?: Map<string, Node>;
}

/** Whiteout names (OCI image spec, layer changesets): `.wh.NAME` deletes NAME, OPAQUE empties the folder. */
export const WHITEOUT = '.wh.';
export const OPAQUE = '.wh..wh..opq';

export interface SquashOptions {
  /** Layer ids (diff ids) in order, recorded as FileEntry.layer. */
  readonly layerIds: readonly string[];
  /** Which regular files an analyser wants in memory; asked once per file, before its body is read. */
  readonly want?: (entry: FileEntry) => boolean;
  /** Probes to run over regular files' bytes during the walk (see probe.ts). */
  readonly probes?: readonly ProbeSpec[];
}

export interface Squash {
  /** For readLayer's `capture`: whether to keep this entry's body of the given layer. */
  capture(layer: number, entry: LayerEntry): boolean;
  /** For readLayer's `probe`: the probes this entry's body of the given layer is fed to. */
  probe(layer: number, entry: LayerEntry): readonly NamedProbe[] | undefined;
  /** Applies one entry of `layer` (layers must be applied bottom-up, each in archive order). */
  apply(layer: number, entry: LayerEntry, body: EntryBody | undefined): void;
  /** The file index of the squashed filesystem, sorted by path. */
  entries(): FileEntry[];
  /** Content slot of a regular file or hard link at a normalised path (no symlinks followed). */
  slot(path: string): ContentSlot | undefined;
}


/**
 * Squashes layers into one filesystem as the OCI image spec says: later layers replace earlier
 * entries; `.wh.<name>` deletes <name> and `.wh..wh..opq` empties its folder, both against LOWER
 * layers only (what the same layer writes survives, in any archive order); missing parents are
 * implied; hard links must name a regular file already present; nothing is written through a symlink.
 */
export function createSquash(options: SquashOptions): Squash {
  const root: Node = { type: 'dir', mode: 0o755, uid: 0, gid: 0, size: 0, mtime: 0, layer: 0, children: new Map() };
  const layerId = (index: number): string => options.layerIds[index] ?? `layer:${index}`;

  function toFileEntry(path: string, node: Node): FileEntry {
    return {
      path,
      type: node.type,
      mode: node.mode,
      uid: node.uid,
      gid: node.gid,
      size: node.size,
      ...(node.slot !== undefined ? { sha256: node.slot.sha256 } : {}),
      ...(node.linkTarget !== undefined ? { linkTarget: node.linkTarget } : {}),
      layer: layerId(node.layer),
      mtime: node.mtime,
    };
  }

  /** Walks to the folder holding `parts[0..n-1]`, creating implied folders; never through a symlink. */
  function parentFor(parts: readonly string[], layer: number, create: boolean, path: string): Node | undefined {
    let node = root;
    for (let i = 0; i < parts.length - 1; i++) {
      const name = parts[i] as string;
      let child = node.children?.get(name);
      if (child === undefined) {
        if (!create) return undefined;
        child = { type: 'dir', mode: 0o755, uid: 0, gid: 0, size: 0, mtime: 0, layer, children: new Map() };
        node.children?.set(name, child);
      } else if (child.type === 'symlink') {
        throw new AppError('ARCHIVE_SYMLINK_ESCAPE', 'an entry is written through a symlinked folder', {
          details: { path, symlink: `/${parts.slice(0, i + 1).join('/')}` },
        });
      } else if (child.type !== 'dir') {
        throw new AppError('ARCHIVE_INVALID', 'an entry is written below something that is not a folder', {
          details: { path, parent: `/${parts.slice(0, i + 1).join('/')}` },
        });
      }
      node = child;
    }
    return node;
  }

  function lookup(path: string): Node | undefined {
    let node: Node | undefined = root;
    for (const part of path.split('/')) {
      if (part === '') continue;
      node = node?.children?.get(part);
      if (node === undefined) return undefined;
    }
    return node;
  }

  /** Removes what lower layers put under `dir`; returns whether `node` itself should go. */
  function pruneLower(node: Node, layer: number): boolean {
    if (node.children !== undefined) {
      for (const [name, child] of node.children) if (pruneLower(child, layer)) node.children.delete(name);
    }
    if (node.layer >= layer) return false;
    if (node.children !== undefined && node.children.size > 0) {
      node.layer = layer; // a lower folder kept alive by what this layer wrote inside it
      return false;
    }
    return true;
  }

  function applyWhiteout(layer: number, parts: readonly string[], name: string, path: string): void {
    const parent = parentFor(parts, layer, false, path);
    if (parent === undefined || parent.children === undefined) return;
    if (name === OPAQUE) {
      for (const [childName, child] of parent.children) if (pruneLower(child, layer)) parent.children.delete(childName);
      return;
    }
    if (name.startsWith(`${WHITEOUT}${WHITEOUT}`)) return; // other AUFS metadata (.wh..wh.plnk…)
    const target = name.slice(WHITEOUT.length);
    const victim = parent.children.get(target);
    if (victim !== undefined && pruneLower(victim, layer)) parent.children.delete(target);
  }

  return {
    capture(layer, entry) {
      return options.want?.(toFileEntry(entry.path, { ...entry, layer })) === true;
    },
    probe(layer, entry) {
      const specs = options.probes;
      if (specs === undefined || specs.length === 0) return undefined;
      const file = toFileEntry(entry.path, { ...entry, layer });
      const chosen = specs.filter((spec) => spec.wants(file));
      return chosen.length === 0 ? undefined : chosen.map((spec) => ({ name: spec.name, probe: spec.create() }));
    },
    apply(layer, entry, body) {
      const parts = entry.path === '/' ? [] : entry.path.slice(1).split('/');
      const name = parts[parts.length - 1];
      if (name === undefined) {
        if (entry.type !== 'dir') throw new AppError('ARCHIVE_INVALID', 'the archive root is not a folder', {});
        Object.assign(root, { mode: entry.mode, uid: entry.uid, gid: entry.gid, mtime: entry.mtime, layer });
        return;
      }
      if (name.startsWith(WHITEOUT)) {
        applyWhiteout(layer, parts, name, entry.path);
        return;
      }
      const parent = parentFor(parts, layer, true, entry.path) as Node;
      const children = parent.children as Map<string, Node>;
      const existing = children.get(name);
      const meta = { mode: entry.mode, uid: entry.uid, gid: entry.gid, mtime: entry.mtime, layer };
      switch (entry.type) {
        case 'dir':
          if (existing?.type === 'dir') Object.assign(existing, meta);
          else children.set(name, { type: 'dir', size: 0, ...meta, children: new Map() });
          return;
        case 'file': {
          const sha256 = body?.sha256 ?? '';
          const slot: ContentSlot = {
            sha256,
            size: entry.size,
            ...(body?.content !== undefined ? { content: body.content } : {}),
            ...(body?.probes !== undefined ? { probes: body.probes } : {}),
            ref: { layer, ordinal: entry.ordinal },
          };
          children.set(name, { type: 'file', size: entry.size, ...meta, slot });
          return;
        }
        case 'hardlink': {
          const targetPath = entry.linkTarget as string;
          const target = lookup(targetPath);
          if (target === undefined || target.slot === undefined || (target.type !== 'file' && target.type !== 'hardlink')) {
            throw new AppError('ARCHIVE_HARDLINK_INVALID', 'a hard link does not point at a regular file in this layer or below', {
              details: { path: entry.path, target: targetPath.slice(0, 512) },
            });
          }
          children.set(name, {
            type: 'hardlink',
            mode: target.mode,
            uid: target.uid,
            gid: target.gid,
            mtime: target.mtime,
            layer,
            size: target.size,
            linkTarget: targetPath,
            slot: target.slot,
          });
          return;
        }
        default:
          children.set(name, {
            type: entry.type,
            size: 0,
            ...meta,
            ...(entry.linkTarget !== undefined ? { linkTarget: entry.linkTarget } : {}),
          });
      }
    },
    entries() {
      const out: FileEntry[] = [];
      const stack: [string, Node][] = [['/', root]];
      while (stack.length > 0) {
        const [path, node] = stack.pop() as [string, Node];
        out.push(toFileEntry(path, node));
        if (node.children !== undefined) {
          for (const [name, child] of node.children) stack.push([path === '/' ? `/${name}` : `${path}/${name}`, child]);
        }
      }
      return out.sort((a, b) => byCodePoint(a.path, b.path));
    },
    slot(path) {
      return lookup(path)?.slot;
    },
  };
}
