package org.stevedore.http;

import io.undertow.util.HttpString;

/** Header names of the distribution API that Undertow has no constant for. */
final class ApiHeaders {
    static final HttpString API_VERSION = new HttpString("Docker-Distribution-API-Version");
    static final String API_VERSION_VALUE = "registry/2.0";
    static final HttpString CONTENT_DIGEST = new HttpString("Docker-Content-Digest");
    static final HttpString UPLOAD_UUID = new HttpString("Docker-Upload-UUID");
    static final HttpString OCI_SUBJECT = new HttpString("OCI-Subject");
    static final HttpString RANGE = new HttpString("Range");
    static final HttpString LINK = new HttpString("Link");

    private ApiHeaders() {
    }
}
