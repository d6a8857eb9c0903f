package org.stevedore.storage.s3;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * Drops {@code Expect: 100-continue} from PUTs whose body is small. The SDK asks for it on every
 * PutObject and UploadPart whose length it cannot see yet (with chunked encoding it cannot), so a
 * 71-byte link write waits a whole extra round trip for the store's "100 Continue" before sending
 * its body. The expectation only pays off for large bodies (a refused request does not upload
 * megabytes for nothing), so parts keep it.
 */
final class NoExpectForSmallBodies implements ExecutionInterceptor {
    /** Below this many bytes a refused request costs less to send whole than a round trip to ask. */
    static final long THRESHOLD_BYTES = 1024 * 1024;

    @Override
    public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
        SdkHttpRequest request = context.httpRequest();
        if (request.firstMatchingHeader("Expect").isEmpty()) return request;
        long length = context.requestBody().flatMap(body -> body.optionalContentLength()).orElse(Long.MAX_VALUE);
        if (length >= THRESHOLD_BYTES) return request;
        return request.toBuilder().removeHeader("Expect").build();
    }
}
