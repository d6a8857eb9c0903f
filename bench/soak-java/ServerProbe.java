import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The server's figures during a soak: descriptors, threads, RSS (Linux /proc) and heap (jcmd). */
final class ServerProbe {
    private ServerProbe() {
    }

    static long fds(long pid) throws IOException {
        try (var list = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return list.count();
        }
    }

    /** What each descriptor points at, e.g. {@code socket:[123]} or a file path, with its number. */
    static java.util.Set<String> fdTargets(long pid) throws IOException {
        java.util.Set<String> targets = new TreeSet<>();
        try (var list = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            for (Path fd : (Iterable<Path>) list::iterator) {
                try {
                    targets.add(fd.getFileName() + "->" + Files.readSymbolicLink(fd));
                } catch (IOException closedMeanwhile) { }
            }
        }
        return targets;
    }

    /** Undertow's worker threads ("XNIO-1 task-N"), from the kernel's thread names. */
    static long workerThreads(long pid) throws IOException {
        long count = 0;
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    if (Files.readString(task.resolve("comm")).contains("task-")) count++;
                } catch (IOException threadEnded) { }
            }
        }
        return count;
    }

    static long rssKiB(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
        return -1;
    }

    /** Heap in use per {@code jcmd GC.heap_info}; with {@code fullGc}, after a full collection (live data). */
    static long heapUsedKiB(long pid, boolean fullGc) throws Exception {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        if (fullGc) new ProcessBuilder(jcmd, Long.toString(pid), "GC.run").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        Process info = new ProcessBuilder(jcmd, Long.toString(pid), "GC.heap_info").redirectErrorStream(true).start();
        String text = new String(info.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        info.waitFor();
        Matcher used = Pattern.compile("total \\d+K, used (\\d+)K").matcher(text);
        return used.find() ? Long.parseLong(used.group(1)) : -1;
    }
}
