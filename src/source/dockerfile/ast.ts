import type { SourceRange } from '../finding.ts';
import type { ShellCommand, ShellScript } from './parse/shell.ts';
import type { ImageRef } from './parse/image-ref.ts';

export interface Word {
  readonly value: string;
  readonly range: SourceRange;
}

export interface KeyValue {
  readonly name: string;
  /** Unquoted value; undefined for `ARG NAME` without a default. */
  readonly value: string | undefined;
  readonly range: SourceRange;
}

export interface Heredoc {
  readonly name: string;
  readonly content: string;
}

export interface Instruction {
  /** Upper-case keyword, e.g. RUN. */
  readonly keyword: string;
  readonly range: SourceRange;
  /** Argument text after flags; continuations joined, comment lines inside removed. */
  readonly text: string;
  /** Whitespace-separated arguments after flags, quotes kept (empty for RUN: see `shell`). */
  readonly words: readonly Word[];
  readonly flags: readonly { readonly name: string; readonly value: string | null }[];
  /** Exec form (`["a", "b"]`) strings, when the instruction uses JSON form. */
  readonly json?: readonly string[];
  readonly heredocs: readonly Heredoc[];
  /** RUN only: the parsed shell script (shell form, heredoc script, or exec form). */
  readonly shell?: ShellScript;
  /** RUN only: every command executed, nested ones included, wrappers (sudo, env…) stripped. */
  readonly commands: readonly ShellCommand[];
  /** RUN only: every command executed, as written. */
  readonly rawCommands: readonly ShellCommand[];
  /** ENV / ARG / LABEL pairs. */
  readonly pairs: readonly KeyValue[];
  /** ONBUILD: the trigger instruction. */
  readonly trigger?: Instruction;
  /** True for an instruction that is an ONBUILD trigger. */
  readonly onbuild: boolean;
  /** Index of the stage the instruction is in; -1 before the first FROM. */
  readonly stage: number;
}

export interface FromInfo {
  /** The image argument as written, e.g. `${BASE}` or `debian:12`. */
  readonly written: string;
  /** After global ARG substitution. */
  readonly image: string;
  /** A referenced global ARG had no value: the image cannot be judged statically. */
  readonly unresolved: boolean;
  readonly ref: ImageRef | undefined;
  readonly alias: string | undefined;
  readonly platform: string | undefined;
  /** Index of an earlier stage this FROM builds on (`FROM build`), when it does. */
  readonly stageRef: number | undefined;
  readonly scratch: boolean;
}

export interface Stage {
  readonly index: number;
  readonly from: FromInfo;
  readonly fromInstruction: Instruction;
  /** Instructions after the FROM, ONBUILD triggers not expanded. */
  readonly instructions: readonly Instruction[];
}

export interface Comment {
  readonly line: number;
  readonly text: string;
}

export interface DockerfileAst {
  readonly escape: string;
  /** ARG instructions before the first FROM. */
  readonly globalArgs: readonly Instruction[];
  readonly stages: readonly Stage[];
  /** Every top-level instruction in file order. */
  readonly instructions: readonly Instruction[];
  /** Every instruction in file order with ONBUILD triggers placed right after their ONBUILD. */
  readonly flat: readonly Instruction[];
  readonly comments: readonly Comment[];
  /** Number of lines in the file. */
  readonly lineCount: number;
}
