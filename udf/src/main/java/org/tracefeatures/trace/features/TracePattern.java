package org.tracefeatures.trace.features;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import org.tracefeatures.trace.Trace;

/**
 * A trace's pattern: the shape of its call tree by service::operation, with an id that only that shape decides.
 * Trace and span ids, times, durations, tags and the order of siblings never change it; a different number of
 * calls does (a /dispatch with 10 route calls and one with 5 are two patterns).
 *
 * <p>The tree: every root and every orphan heads a subtree, every span's children are the spans that reference it,
 * whatever the reference type. A span that a reference cycle brings back is not walked twice; a cycle that no root
 * or orphan reaches is walked from its earliest span, so for a trace with a reference cycle the start order decides
 * where the cycle is cut.
 *
 * <p>The readable form writes a span as {@code service::operation} followed by its children in parentheses;
 * siblings whose subtrees have the same shape are written once, followed by {@code ×N}. Siblings are ordered by
 * their own name, then by their subtree's hash. Several subtree tops are joined by {@code " + "}. The form is cut
 * at {@value #MAX_READABLE_CHARS} characters (ending in {@code …}); the id always covers the whole shape.
 *
 * <p>The id: 16 hex digits, a 64-bit hash over the tops' shapes, where a shape's hash combines the span's name
 * (FNV-1a over its UTF-16 characters) with its children's shape hashes and counts, sorted, through SplitMix64's
 * finalizer. The hash is this class's own, so the id is the same on every JVM and in every release that keeps this
 * definition. Every walk is iterative.
 */
public final class TracePattern {
    public static final int MAX_READABLE_CHARS = 2_000;

    private final String id;
    private final String readable;

    private TracePattern(String id, String readable) {
        this.id = id;
        this.readable = readable;
    }

    /** The pattern of a trace with at least one span. */
    public static TracePattern of(Trace trace) {
        if (trace.size() == 0) {
            throw new IllegalArgumentException("an empty trace has no pattern");
        }
        return new Builder(trace).build();
    }

    /** 16 hex digits that only the shape decides. */
    public String id() {
        return id;
    }

    /** The shape as text, siblings of one shape folded into {@code ×N}, at most about 2,000 characters. */
    public String readable() {
        return readable;
    }

    /** Equal shapes of one parent's children: one representative span and how many there are. */
    private record Group(int span, long hash, int count) {}

    private static final Group[] NO_GROUPS = new Group[0];

    private static final class Builder {
        private final Trace trace;
        private final String[] names;
        private final long[] hashes;
        private final Group[][] groups;

        Builder(Trace trace) {
            this.trace = trace;
            int n = trace.size();
            this.names = new String[n];
            this.hashes = new long[n];
            this.groups = new Group[n][];
            for (int i = 0; i < n; i++) {
                names[i] = trace.span(i).serviceOperation();
            }
        }

        TracePattern build() {
            int[] tops = tops();
            boolean[] walked = new boolean[trace.size()];
            for (int top : tops) {
                hashSubtree(top, walked);
            }
            // spans no root or orphan reaches (a cycle apart from the tree): each not yet walked heads one more
            for (int span = 0; span < trace.size(); span++) {
                if (!walked[span]) {
                    hashSubtree(span, walked);
                    tops = Arrays.copyOf(tops, tops.length + 1);
                    tops[tops.length - 1] = span;
                }
            }
            Group[] topGroups = group(tops);
            long id = digest("", topGroups);
            StringBuilder text = new StringBuilder();
            for (int g = 0; g < topGroups.length && text.length() <= MAX_READABLE_CHARS; g++) {
                if (g > 0) {
                    text.append(" + ");
                }
                render(topGroups[g], text);
            }
            String readable =
                    text.length() <= MAX_READABLE_CHARS ? text.toString() : text.substring(0, MAX_READABLE_CHARS) + "…";
            return new TracePattern(HexFormat.of().toHexDigits(id), readable);
        }

        private int[] tops() {
            List<Integer> tops = new ArrayList<>();
            for (int i = 0; i < trace.size(); i++) {
                if (trace.isRoot(i) || trace.isOrphan(i)) {
                    tops.add(i);
                }
            }
            return tops.isEmpty()
                    ? new int[] {0}
                    : tops.stream().mapToInt(Integer::intValue).toArray();
        }

        /** Post-order: a span's hash once all its children have theirs. */
        private void hashSubtree(int top, boolean[] walked) {
            Deque<int[]> stack = new ArrayDeque<>();
            walked[top] = true;
            stack.push(new int[] {top, 0});
            while (!stack.isEmpty()) {
                int[] frame = stack.peek();
                int span = frame[0];
                int[] children = trace.children(span);
                if (frame[1] < children.length) {
                    int child = children[frame[1]++];
                    if (!walked[child]) {
                        walked[child] = true;
                        stack.push(new int[] {child, 0});
                    }
                    continue;
                }
                stack.pop();
                groups[span] = group(walkedChildren(span));
                hashes[span] = digest(names[span], groups[span]);
            }
        }

        /** A span's children below it in this walk: a child a cycle leads back to has no hash of its own yet. */
        private int[] walkedChildren(int span) {
            int[] children = trace.children(span);
            int kept = 0;
            int[] walked = new int[children.length];
            for (int child : children) {
                if (groups[child] != null && child != span) {
                    walked[kept++] = child;
                }
            }
            return kept == children.length ? walked : Arrays.copyOf(walked, kept);
        }

        private Group[] group(int[] spans) {
            if (spans.length == 0) {
                return NO_GROUPS;
            }
            if (spans.length == 1) {
                return new Group[] {new Group(spans[0], hashes[spans[0]], 1)};
            }
            Integer[] order = Arrays.stream(spans).boxed().toArray(Integer[]::new);
            Arrays.sort(order, Comparator.comparing((Integer s) -> names[s]).thenComparingLong(s -> hashes[s]));
            List<Group> result = new ArrayList<>();
            for (int s : order) {
                Group last = result.isEmpty() ? null : result.get(result.size() - 1);
                if (last != null && last.hash() == hashes[s] && names[last.span()].equals(names[s])) {
                    result.set(result.size() - 1, new Group(last.span(), last.hash(), last.count() + 1));
                } else {
                    result.add(new Group(s, hashes[s], 1));
                }
            }
            return result.toArray(new Group[0]);
        }

        private static long digest(String name, Group[] children) {
            long fnv = 0xcbf29ce484222325L;
            for (int i = 0; i < name.length(); i++) {
                fnv = (fnv ^ name.charAt(i)) * 0x100000001b3L;
            }
            long hash = mix(fnv ^ name.length());
            for (Group child : children) {
                hash = mix(hash ^ child.hash());
                hash = mix(hash + child.count());
            }
            return hash;
        }

        /** SplitMix64's finalizer: every input bit reaches every output bit. */
        private static long mix(long z) {
            z += 0x9e3779b97f4a7c15L;
            z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
            z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
            return z ^ (z >>> 31);
        }

        /** Writes a group's shape, iteratively, stopping once the text is over the limit. */
        private void render(Group top, StringBuilder text) {
            Deque<Object> pending = new ArrayDeque<>();
            pending.push(top);
            while (!pending.isEmpty() && text.length() <= MAX_READABLE_CHARS) {
                Object next = pending.pop();
                if (next instanceof String literal) {
                    text.append(literal);
                    continue;
                }
                Group group = (Group) next;
                text.append(names[group.span()]);
                Group[] children = groups[group.span()];
                if (group.count() > 1) {
                    pending.push("×" + group.count());
                }
                if (children.length > 0) {
                    pending.push(")");
                    for (int c = children.length - 1; c >= 0; c--) {
                        pending.push(children[c]);
                        if (c > 0) {
                            pending.push(", ");
                        }
                    }
                    pending.push("(");
                }
            }
        }
    }
}
