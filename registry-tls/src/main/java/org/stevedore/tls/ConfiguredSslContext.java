package org.stevedore.tls;

import java.security.KeyManagementException;
import java.security.SecureRandom;
import java.util.function.Consumer;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * An {@link SSLContext} that configures every engine it creates (protocol versions, client
 * certificates). Why: a server that takes an {@code SSLContext} (Undertow, and so
 * {@code RegistryBuilder.tls}) has no way to receive such settings, but every connection's engine
 * comes from the context. Engines are put in server mode first, so the server setting the mode
 * again later changes nothing, and answer a plain-HTTP request with a clear 400
 * ({@link PlainHttpAnsweringEngine}). For server use only. Thread-safe as the context it wraps.
 */
final class ConfiguredSslContext extends SSLContext {

    ConfiguredSslContext(SSLContext delegate, Consumer<SSLEngine> configure) {
        super(new Spi(delegate, configure), delegate.getProvider(), delegate.getProtocol());
    }

    private static final class Spi extends SSLContextSpi {
        private final SSLContext delegate;
        private final Consumer<SSLEngine> configure;

        Spi(SSLContext delegate, Consumer<SSLEngine> configure) {
            this.delegate = delegate;
            this.configure = configure;
        }

        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom random)
                throws KeyManagementException {
            throw new KeyManagementException("already initialised");
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return delegate.getSocketFactory();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            return delegate.getServerSocketFactory();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            return configured(delegate.createSSLEngine());
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            return configured(delegate.createSSLEngine(host, port));
        }

        @Override
        protected javax.net.ssl.SSLSessionContext engineGetServerSessionContext() {
            return delegate.getServerSessionContext();
        }

        @Override
        protected javax.net.ssl.SSLSessionContext engineGetClientSessionContext() {
            return delegate.getClientSessionContext();
        }

        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
            return delegate.getDefaultSSLParameters();
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            return delegate.getSupportedSSLParameters();
        }

        private SSLEngine configured(SSLEngine engine) {
            engine.setUseClientMode(false);
            configure.accept(engine);
            return new PlainHttpAnsweringEngine(engine);
        }
    }
}
