import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Runs several mongo-java-server instances (MongoDB wire protocol) in one JVM, one per port.
 *
 * <pre>
 *   java -cp 'mongo-lib/*:classes' MongoLauncher 27018:h2:/data/identity.mv 27019:h2:/data/notification.mv
 *   java -cp 'mongo-lib/*:classes' MongoLauncher 27117:memory
 * </pre>
 *
 * Each argument is {@code <port>:memory} or {@code <port>:h2:<file>}. Binds to 127.0.0.1 unless
 * {@code -Dmongo.host=...} is given. SIGTERM closes every server cleanly (H2 files are flushed).
 * Used by scripts/infra.sh, which compiles it once into .local/cache.
 */
public final class MongoLauncher {
    private MongoLauncher() {}

    public static void main(String[] args) throws InterruptedException {
        if (args.length == 0) {
            System.err.println("usage: MongoLauncher <port>:memory | <port>:h2:<file> ...");
            System.exit(2);
        }
        String host = System.getProperty("mongo.host", "127.0.0.1");
        List<MongoServer> servers = new CopyOnWriteArrayList<>();

        // Registered before binding, so a failure half-way still closes what was opened.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (MongoServer server : servers) {
                try {
                    server.shutdownNow(); // closes clients, then the backend (H2: MVStore.close())
                } catch (RuntimeException e) {
                    System.err.println("mongo: shutdown of " + server + " failed: " + e);
                }
            }
        }, "mongo-shutdown"));

        try {
            for (String spec : args) {
                servers.add(start(host, spec));
            }
        } catch (RuntimeException e) {
            // Exit explicitly: Netty threads of servers already bound would otherwise keep the JVM alive.
            System.err.println("mongo: " + e.getMessage());
            System.exit(1);
        }

        // Netty's event loops keep the JVM alive anyway; park main until the JVM is asked to exit.
        Thread.currentThread().join();
    }

    private static MongoServer start(String host, String spec) {
        String[] parts = spec.split(":", 3);
        int port;
        try {
            port = Integer.parseInt(parts[0]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port in '" + spec + "'");
        }

        MongoBackend backend;
        if (parts.length == 2 && parts[1].equals("memory")) {
            backend = new MemoryBackend();
        } else if (parts.length == 3 && parts[1].equals("h2") && !parts[2].isEmpty()) {
            Path file = Path.of(parts[2]).toAbsolutePath();
            try {
                Files.createDirectories(file.getParent());
            } catch (IOException e) {
                throw new IllegalStateException("cannot create " + file.getParent() + ": " + e, e);
            }
            backend = new H2Backend(file.toString());
        } else {
            throw new IllegalArgumentException("expected <port>:memory or <port>:h2:<file>, got '" + spec + "'");
        }

        MongoServer server = new MongoServer(backend);
        try {
            server.bind(host, port);
        } catch (RuntimeException e) {
            backend.close();
            throw new IllegalStateException("cannot bind " + host + ":" + port + ": " + e.getMessage(), e);
        }
        // stdout, not slf4j (which runs at WARN): the one line a normal start leaves in the log.
        System.out.println("mongo: listening on " + host + ":" + port + " (" + backend + ")");
        return server;
    }
}
