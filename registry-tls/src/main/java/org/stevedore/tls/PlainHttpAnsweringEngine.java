package org.stevedore.tls;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;

/**
 * A server {@link SSLEngine} that answers a plain-HTTP request on the TLS port with
 * {@code HTTP/1.0 400 Bad Request} and "This registry speaks HTTPS; use https://...", then closes,
 * instead of a TLS alert that clients print as garbage or a bare "connection reset".
 *
 * <p>How: a TLS connection starts with a handshake record (first byte 22); an HTTP request starts
 * with a method name in capitals. On such a first byte {@link #unwrap} fails as the JDK engine
 * does on any non-TLS input, and the following {@link #wrap} (which would carry the TLS alert)
 * carries the plain-text answer instead. Servers already flush what {@code wrap} produces after a
 * failed handshake, so this needs nothing from them. Everything else is the delegate's.
 */
final class PlainHttpAnsweringEngine extends SSLEngine {
    private static final byte TLS_HANDSHAKE = 22;
    private static final Pattern HOST = Pattern.compile("(?im)^host:[ \\t]*([A-Za-z0-9.:\\[\\]-]{1,255})[ \\t]*\\r?$");

    private final SSLEngine delegate;
    private boolean firstRead = true;
    private ByteBuffer answer; // non-null once plain HTTP was seen; drained by wrap

    PlainHttpAnsweringEngine(SSLEngine delegate) {
        super(delegate.getPeerHost(), delegate.getPeerPort());
        this.delegate = delegate;
    }

    @Override
    public SSLEngineResult unwrap(ByteBuffer src, ByteBuffer[] dsts, int offset, int length) throws SSLException {
        if (answer != null) return new SSLEngineResult(Status.CLOSED, getHandshakeStatus(), 0, 0);
        if (firstRead && src.hasRemaining()) {
            firstRead = false;
            byte first = src.get(src.position());
            if (first != TLS_HANDSHAKE && first >= 'A' && first <= 'Z') {
                String request = StandardCharsets.ISO_8859_1.decode(src.duplicate()).toString();
                src.position(src.limit());
                answer = ByteBuffer.wrap(answerFor(request).getBytes(StandardCharsets.US_ASCII));
                throw new SSLException("plain HTTP request on the TLS port; answered 400");
            }
        }
        return delegate.unwrap(src, dsts, offset, length);
    }

    @Override
    public SSLEngineResult wrap(ByteBuffer[] srcs, int offset, int length, ByteBuffer dst) throws SSLException {
        if (answer == null) return delegate.wrap(srcs, offset, length, dst);
        int before = answer.position();
        int n = Math.min(answer.remaining(), dst.remaining());
        dst.put(answer.array(), answer.position(), n);
        answer.position(before + n);
        Status status = answer.hasRemaining() ? (n == 0 ? Status.BUFFER_OVERFLOW : Status.OK) : Status.CLOSED;
        return new SSLEngineResult(status, getHandshakeStatus(), 0, n);
    }

    static String answerFor(String request) {
        Matcher host = HOST.matcher(request);
        String url = host.find() ? "https://" + host.group(1) + "/" : "https://";
        String body = "This registry speaks HTTPS; use " + url + " (clients: drop any insecure-registry or"
                + " --tls-verify=false setting and trust the registry's CA certificate).\n";
        return "HTTP/1.0 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n" + body;
    }

    @Override
    public HandshakeStatus getHandshakeStatus() {
        if (answer != null) return answer.hasRemaining() ? HandshakeStatus.NEED_WRAP : HandshakeStatus.NOT_HANDSHAKING;
        return delegate.getHandshakeStatus();
    }

    @Override
    public boolean isInboundDone() {
        return answer != null || delegate.isInboundDone();
    }

    @Override
    public boolean isOutboundDone() {
        return answer != null ? !answer.hasRemaining() : delegate.isOutboundDone();
    }

    @Override
    public void closeInbound() throws SSLException {
        if (answer == null) delegate.closeInbound();
    }

    @Override
    public void closeOutbound() {
        if (answer == null) delegate.closeOutbound();
    }

    @Override
    public Runnable getDelegatedTask() {
        return answer != null ? null : delegate.getDelegatedTask();
    }

    @Override
    public void beginHandshake() throws SSLException {
        delegate.beginHandshake();
    }

    // Plain delegation below.

    @Override
    public String[] getSupportedCipherSuites() {
        return delegate.getSupportedCipherSuites();
    }

    @Override
    public String[] getEnabledCipherSuites() {
        return delegate.getEnabledCipherSuites();
    }

    @Override
    public void setEnabledCipherSuites(String[] suites) {
        delegate.setEnabledCipherSuites(suites);
    }

    @Override
    public String[] getSupportedProtocols() {
        return delegate.getSupportedProtocols();
    }

    @Override
    public String[] getEnabledProtocols() {
        return delegate.getEnabledProtocols();
    }

    @Override
    public void setEnabledProtocols(String[] protocols) {
        delegate.setEnabledProtocols(protocols);
    }

    @Override
    public SSLSession getSession() {
        return delegate.getSession();
    }

    @Override
    public SSLSession getHandshakeSession() {
        return delegate.getHandshakeSession();
    }

    @Override
    public void setUseClientMode(boolean mode) {
        delegate.setUseClientMode(mode);
    }

    @Override
    public boolean getUseClientMode() {
        return delegate.getUseClientMode();
    }

    @Override
    public void setNeedClientAuth(boolean need) {
        delegate.setNeedClientAuth(need);
    }

    @Override
    public boolean getNeedClientAuth() {
        return delegate.getNeedClientAuth();
    }

    @Override
    public void setWantClientAuth(boolean want) {
        delegate.setWantClientAuth(want);
    }

    @Override
    public boolean getWantClientAuth() {
        return delegate.getWantClientAuth();
    }

    @Override
    public void setEnableSessionCreation(boolean flag) {
        delegate.setEnableSessionCreation(flag);
    }

    @Override
    public boolean getEnableSessionCreation() {
        return delegate.getEnableSessionCreation();
    }

    @Override
    public SSLParameters getSSLParameters() {
        return delegate.getSSLParameters();
    }

    @Override
    public void setSSLParameters(SSLParameters params) {
        delegate.setSSLParameters(params);
    }

    @Override
    public String getApplicationProtocol() {
        return delegate.getApplicationProtocol();
    }

    @Override
    public String getHandshakeApplicationProtocol() {
        return delegate.getHandshakeApplicationProtocol();
    }

    @Override
    public void setHandshakeApplicationProtocolSelector(BiFunction<SSLEngine, List<String>, String> selector) {
        delegate.setHandshakeApplicationProtocolSelector(selector);
    }

    @Override
    public BiFunction<SSLEngine, List<String>, String> getHandshakeApplicationProtocolSelector() {
        return delegate.getHandshakeApplicationProtocolSelector();
    }
}
